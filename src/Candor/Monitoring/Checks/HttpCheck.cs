using System.Buffers;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Candor.Configuration;

namespace Candor.Monitoring.Checks;

/// <summary>
/// Sends one HTTP request on a connection of its own and reports the status, headers, body, certificate expiry
/// and the time of each phase. A status such as 500 is an observation, not a failure: conditions judge it.
/// With `steps`, it runs them as a transaction instead (<see cref="HttpTransaction"/>).
/// </summary>
public sealed class HttpCheck : Check<HttpSettings>
{
    /// <summary>One request with these settings' method, headers and body.</summary>
    internal static Task<Observation> SendAsync(
        HttpSettings settings, Uri target, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken) =>
        new Exchange(settings, clock).RunAsync(target, timeout, cancellationToken);

    protected override Task<Observation> RunAsync(
        MonitorConfig monitor, HttpSettings settings, CheckContext context, CancellationToken cancellationToken) =>
        settings.Steps.Count > 0
            ? new HttpTransaction(settings, context.Clock).RunAsync(new Uri(monitor.Target!), monitor.Timeout, cancellationToken)
            : SendAsync(settings, new Uri(monitor.Target!), monitor.Timeout, context.Clock, cancellationToken);

    /// <summary>The state of one run: the handler's callbacks record into it as the connection is made.</summary>
    private sealed class Exchange(HttpSettings settings, TimeProvider clock)
    {
        private const int MaxRedirects = 10;
        private const int ReadBufferSize = 16 * 1024;

        private readonly ProbeTrace _trace = new(clock);

        /// <summary>
        /// The connection of the first request, opened as the run starts; null once the handler has taken it. Left to
        /// the handler, it would be opened only when the handler's own queued work gets its turn on the thread pool:
        /// under load, long after the check started.
        /// </summary>
        private Task<Socket>? _opening;
        private HostPort _openingTo;

        /// <summary>
        /// Every connection the handler was given (a redirect to another host adds one), closed when the run ends: the
        /// handler never closes one it keeps for a next request (with a configured `Connection: keep-alive`), and
        /// thousands a second would wait for the finalizer, each then reset.
        /// </summary>
        private readonly List<Socket> _connections = [];
        private long _connectedAt;
        private TimeSpan? _certExpiresIn;
        private string? _certificateProblem;

        public async Task<Observation> RunAsync(Uri target, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _openingTo = Endpoint(target.IdnHost, target.Port);
            _opening = SocketProbe.ConnectAsync(_openingTo, _trace, cancellationToken);
            HttpRequestMessage? request = null;
            try
            {
                // The connection is on its way; the rest is left to the thread pool, as the caller (the scheduler's
                // one thread) has other checks to start.
                await Task.Yield();

                // A handler per run, disposed after it, so that every probe opens a fresh connection and measures it.
                // It is called without an HttpClient around it: the caller's token carries the monitor's timeout,
                // and the handler returns at the response headers, leaving the body to be read here.
                using var handler = new HttpMessageInvoker(CreateHandler());
                request = settings.CreateRequest(target);

                // Said, the connection is disposed by the handler as the response ends. Unsaid, the handler keeps it
                // for a next request and drops it with the handler: it and its buffers wait for the finalizer, and
                // thousands a second survived each collection, which then took three times as long.
                if (!request.Headers.Contains("Connection"))
                {
                    request.Headers.ConnectionClose = true;
                }

                using var response = await handler.SendAsync(request, cancellationToken);
                var headersAt = _trace.Elapsed;
                _trace.Enter("reading the body");
                var body = await ReadBodyAsync(response.Content, cancellationToken);
                var total = _trace.Elapsed;

                var facts = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["status"] = (long)response.StatusCode,
                    ["response_time"] = total,
                };
                if (_certExpiresIn is { } expiresIn)
                {
                    facts["cert_expires_in"] = expiresIn;
                }

                return new Observation
                {
                    Facts = facts,
                    Headers = new ResponseHeaders(response),
                    Body = body,
                    ResponseTime = total,
                    Timings = _trace.Timings(Waiting(headersAt)),
                };
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return _trace.TimedOut(timeout);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                // After a redirect, the request names where it was sent last.
                var (kind, message) = Classify(ex, request?.RequestUri ?? target);
                if (kind == ErrorKind.Tls)
                {
                    // The handshake did take this long before it failed; that is worth seeing beside the error.
                    _trace.AddTls(_connectedAt);
                }

                return _trace.Failed(kind, message);
            }
            finally
            {
                request?.Dispose();
                foreach (var connection in _connections)
                {
                    connection.Dispose();
                }

                // The request failed before it needed a connection.
                if (Interlocked.Exchange(ref _opening, null) is { } unused)
                {
                    Discard(unused);
                }
            }
        }

        private SocketsHttpHandler CreateHandler() => new()
        {
            AllowAutoRedirect = settings.FollowRedirects,
            MaxAutomaticRedirections = MaxRedirects,
            // A proxy would make the DNS and connect phases describe the proxy instead of the target.
            UseProxy = false,
            // The connection is closed as soon as the response is read rather than kept for a next request that
            // never comes: nor does the handler then run a timer of its own to clean up kept connections.
            PooledConnectionIdleTimeout = TimeSpan.Zero,
            ConnectCallback = ConnectAsync,
            PlaintextStreamFilter = TlsEstablished,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = ValidateCertificate },
        };

        private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            var endpoint = Endpoint(context.DnsEndPoint.Host, context.DnsEndPoint.Port);
            var opened = Interlocked.Exchange(ref _opening, null);
            if (opened is not null && endpoint != _openingTo)
            {
                Discard(opened);
                opened = null;
            }

            // A redirect to another host connects again, adding to the phases.
            var socket = await (opened ?? SocketProbe.ConnectAsync(endpoint, _trace, cancellationToken));
            _connections.Add(socket);
            _connectedAt = IsHttps(context.InitialRequestMessage)
                ? _trace.Enter($"in the TLS handshake with {endpoint.Host}")
                : _trace.Enter("waiting for the first byte");
            return new NetworkStream(socket, ownsSocket: true);
        }

        /// <summary>Called once the connection is ready for HTTP: after the TLS handshake, when there is one.</summary>
        private ValueTask<Stream> TlsEstablished(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
        {
            if (IsHttps(context.InitialRequestMessage))
            {
                _trace.AddTls(_connectedAt);
            }

            _trace.Enter("waiting for the first byte");
            return ValueTask.FromResult(context.PlaintextStream);
        }

        private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            var now = clock.GetUtcNow();
            if (certificate is X509Certificate2 leaf)
            {
                _certExpiresIn = new DateTimeOffset(leaf.NotAfter.ToUniversalTime()) - now;
            }

            if (!settings.VerifyTls || errors == SslPolicyErrors.None)
            {
                return true;
            }

            _certificateProblem = CertificateProblems.Describe(errors, chain, certificate as X509Certificate2, now);
            return false;
        }

        private async Task<string> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            using var kept = new MemoryStream();

            // Thousands of checks a second each reading through a buffer of its own would keep the GC busy.
            var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    var keep = (int)Math.Min(read, settings.MaxBody - kept.Length);
                    if (keep > 0)
                    {
                        kept.Write(buffer, 0, keep);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var text = EncodingOf(content.Headers.ContentType).GetString(kept.GetBuffer(), 0, (int)kept.Length);
            return text.StartsWith('\uFEFF') ? text[1..] : text;
        }

        /// <summary>The time from a ready connection to the response headers: the server's share of the wait.</summary>
        private TimeSpan Waiting(TimeSpan headersAt)
        {
            var waiting = headersAt - (_trace.Dns ?? TimeSpan.Zero) - (_trace.Connect ?? TimeSpan.Zero) - (_trace.Tls ?? TimeSpan.Zero);
            return waiting > TimeSpan.Zero ? waiting : TimeSpan.Zero;
        }

        private (ErrorKind Kind, string Message) Classify(Exception ex, Uri uri)
        {
            if (ProbeException.FindIn(ex) is { } probe)
            {
                return (probe.Kind, probe.Message);
            }

            if (_certificateProblem is not null)
            {
                return (ErrorKind.Tls, $"TLS handshake with {uri.IdnHost} failed: {_certificateProblem}");
            }

            var innermost = ex.GetBaseException().Message;
            var reset = FindSocketError(ex) is SocketError.ConnectionReset or SocketError.ConnectionAborted;
            var error = (ex as HttpRequestException)?.HttpRequestError ?? (ex as HttpIOException)?.HttpRequestError;
            return error switch
            {
                HttpRequestError.SecureConnectionError => (ErrorKind.Tls, $"TLS handshake with {uri.IdnHost} failed: {innermost}"),
                _ when reset => (ErrorKind.Connect, $"connection to {uri.Authority} was reset ({_trace.Phase})"),
                HttpRequestError.ResponseEnded when ex is HttpRequestException =>
                    (ErrorKind.Connect, $"{uri.Authority} closed the connection without a response"),
                HttpRequestError.ResponseEnded => (ErrorKind.Protocol, $"the response from {uri.Authority} ended early: {innermost}"),
                HttpRequestError.ConnectionError => (ErrorKind.Connect, $"connection to {uri.Authority} failed: {innermost}"),
                _ => (ErrorKind.Protocol, $"malformed response from {uri.Authority}: {innermost}"),
            };
        }

        private static HostPort Endpoint(string host, int port) => new(host.Trim('[', ']'), port);

        private static void Discard(Task<Socket> opening) =>
            _ = opening.ContinueWith(
                static opened =>
                {
                    if (opened.IsCompletedSuccessfully)
                    {
                        opened.Result.Dispose();
                    }
                    else
                    {
                        _ = opened.Exception;
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);

        private static bool IsHttps(HttpRequestMessage request) => request.RequestUri?.Scheme == Uri.UriSchemeHttps;

        private static SocketError? FindSocketError(Exception exception)
        {
            for (var current = exception; current is not null; current = current.InnerException)
            {
                if (current is SocketException socket)
                {
                    return socket.SocketErrorCode;
                }
            }

            return null;
        }

        private static Encoding EncodingOf(MediaTypeHeaderValue? contentType)
        {
            var charset = contentType?.CharSet?.Trim('"', '\'', ' ');
            if (string.IsNullOrEmpty(charset))
            {
                return Encoding.UTF8;
            }

            try
            {
                return Encoding.GetEncoding(charset);
            }
            catch (ArgumentException)
            {
                // An unknown charset is far more often a typo for UTF-8 than a reason to fail the check.
                return Encoding.UTF8;
            }
        }
    }
}
