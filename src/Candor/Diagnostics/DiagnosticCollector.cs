using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Monitoring.Checks.Dns;

namespace Candor.Diagnostics;

/// <summary>Gathers the evidence of an outage: what each layer of the path to a monitor's target says right now.</summary>
public interface IDiagnosticCollector
{
    /// <returns>The bundle, or null when the monitor has nothing on the network to look at (a heartbeat).</returns>
    /// <exception cref="OperationCanceledException">The server is stopping, or the diagnosis took too long.</exception>
    Task<DiagnosticBundle?> CollectAsync(MonitorConfig monitor, CheckResult confirming, CancellationToken cancellationToken);
}

/// <summary>
/// Looks at a target one layer at a time, as an operator would by hand: DNS (A and AAAA, asked of the resolver
/// directly so the answer and its timing are seen), a TCP connect to every address at once, the TLS handshake and
/// its certificate, the HTTP status line and headers, and the route toward an address that cannot be reached.
/// Each step has the monitor's timeout. Nothing is retried: like a check, a diagnosis reports what it saw.
/// </summary>
public sealed class DiagnosticCollector(DiagnosticsOptions options, ITracerouteRunner traceroute, TimeProvider clock)
    : IDiagnosticCollector
{
    /// <summary>Enough to cover dual-stack hosts and small round-robin pools without probing a whole farm.</summary>
    private const int MaxAddresses = 4;

    private const int BodyStartChars = 1024;

    /// <summary>As many as the check follows.</summary>
    private const int MaxRedirects = 10;

    public async Task<DiagnosticBundle?> CollectAsync(
        MonitorConfig monitor, CheckResult confirming, CancellationToken cancellationToken)
    {
        if (Target.Of(monitor) is not { } target)
        {
            return null;
        }

        var started = clock.GetTimestamp();
        var collectedAt = clock.GetUtcNow();
        var timeout = monitor.Timeout;

        DnsDiagnosis? dns = null;
        IReadOnlyList<IPAddress> addresses;
        if (target.Record is null && IPAddress.TryParse(target.Host, out var literal))
        {
            addresses = [literal];
        }
        else if (target.Record is null && IsLocalhost(target.Host))
        {
            addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }
        else
        {
            var server = target.Server ?? options.Resolver ?? await SystemResolver.FindAsync(cancellationToken);
            dns = await LookUpAsync(server, target.Host, target.DnsTypes, timeout, cancellationToken);
            addresses = [.. dns.Addresses.Select(IPAddress.Parse)];
        }

        ConnectAttempt[] attempts = [];
        TlsDiagnosis? tls = null;
        HttpDiagnosis? http = null;
        if (target.Port is { } port && addresses.Count > 0)
        {
            attempts = await Task.WhenAll(
                addresses.Take(MaxAddresses).Select(a => ConnectAsync(a, port, timeout, cancellationToken)));

            // Each later step opens its own connection to an address that accepted one, so that no step's
            // connection is held open while the next waits: a server that serves one client at a time would stall.
            if (attempts.FirstOrDefault(a => a.Outcome == ConnectOutcome.Connected) is { } reached)
            {
                var address = IPAddress.Parse(reached.Address);
                if (target.Tls)
                {
                    tls = await HandshakeAsync(new HostPort(reached.Address, port), target, timeout, cancellationToken);
                }

                if (target is { Url: { } url, Http: { } settings } && tls is null or { Succeeded: true })
                {
                    http = await RequestAsync(url, settings, target.Host, address, timeout, cancellationToken);
                }
            }
        }

        var trace = await TraceAsync(target, addresses, attempts, timeout, cancellationToken);
        var bundle = new DiagnosticBundle(
            "",
            monitor.Id,
            confirming.LocationId,
            confirming.Id,
            monitor.Target,
            collectedAt,
            Ms(clock.GetElapsedTime(started)),
            dns,
            attempts,
            tls,
            http,
            trace);
        return bundle with { Summary = DiagnosticSummary.Describe(bundle, target.Record?.Name(), confirming) };
    }

    /// <summary>RFC 6761: localhost names are the machine itself and never go to DNS, as the C library treats them.</summary>
    private static bool IsLocalhost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static double Ms(TimeSpan? elapsed) => Math.Round((elapsed ?? TimeSpan.Zero).TotalMilliseconds, 3);

    private async Task<DnsDiagnosis> LookUpAsync(
        IPEndPoint server, string name, IReadOnlyList<DnsRecordType> types, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lookups = await Task.WhenAll(types.Select(type => QueryAsync(server, name, type, timeout, cancellationToken)));
        var addresses = lookups
            .SelectMany(l => l.Answers)
            .Where(a => a.Type is nameof(DnsRecordType.A) or nameof(DnsRecordType.AAAA))
            .Select(a => a.Data)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new DnsDiagnosis(server.ToString(), name.TrimEnd('.'), lookups, addresses);
    }

    private async Task<DnsLookup> QueryAsync(
        IPEndPoint server, string name, DnsRecordType type, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        DnsLookup Failed(string error, bool timedOut = false) =>
            new(type.Name(), null, [], Ms(clock.GetElapsedTime(started)), error, timedOut);

        using var step = new Step(timeout, clock, cancellationToken);
        try
        {
            var exchange = await new DnsWireClient(clock).QueryAsync(server, DnsQuery.Create(name, type), step.Token);
            var answers = exchange.Response.Answers
                .Select(r => new DnsAnswer(r.Name.TrimEnd('.'), r.Type.Name(), r.Ttl, r.Data))
                .ToList();
            return new DnsLookup(type.Name(), exchange.Response.ResponseCode.Name(), answers, Ms(exchange.ResponseTime), null);
        }
        catch (OperationCanceledException) when (step.Expired)
        {
            return Failed($"{server} did not answer within {Duration.Format(timeout)}", timedOut: true);
        }
        catch (Exception e) when (e is SocketException or EndOfStreamException or DnsFormatException or ArgumentException)
        {
            return Failed(e.Message);
        }
    }

    private async Task<ConnectAttempt> ConnectAsync(
        IPAddress address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var endpoint = new HostPort(address.ToString(), port);
        var trace = new ProbeTrace(clock);
        ConnectAttempt Attempt(ConnectOutcome outcome, string? message) =>
            new(address.ToString(), port, outcome, Ms(trace.Connect ?? trace.Elapsed), message);

        using var step = new Step(timeout, clock, cancellationToken);
        try
        {
            using var socket = await SocketProbe.ConnectAsync(endpoint, trace, step.Token);
            return Attempt(ConnectOutcome.Connected, null);
        }
        catch (OperationCanceledException) when (step.Expired)
        {
            return Attempt(ConnectOutcome.TimedOut, $"TCP connect to {endpoint} timed out after {Duration.Format(timeout)}");
        }
        catch (ProbeException e)
        {
            var outcome = (e.InnerException as SocketException)?.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ConnectOutcome.Refused,
                SocketError.TimedOut => ConnectOutcome.TimedOut,
                _ => ConnectOutcome.Failed,
            };
            return Attempt(outcome, e.Message);
        }
    }

    private async Task<TlsDiagnosis> HandshakeAsync(HostPort endpoint, Target target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var verify = target.VerifyTls;
        CertificateDiagnosis? certificate = null;
        var problems = new List<string>();
        bool Validate(object sender, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
        {
            if (presented is X509Certificate2 leaf)
            {
                certificate = Describe(leaf);
            }

            problems.AddRange(DescribeProblems(errors, chain, target.Host));
            return errors == SslPolicyErrors.None || !verify;
        }

        TlsDiagnosis Result(bool succeeded, string? protocol, string? error) =>
            new(target.Host, succeeded, protocol, certificate, problems, Ms(clock.GetElapsedTime(started)), error);

        using var step = new Step(timeout, clock, cancellationToken);
        try
        {
            var socket = await SocketProbe.ConnectAsync(endpoint, new ProbeTrace(clock), step.Token);
            started = clock.GetTimestamp();
            await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await stream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = target.TlsCheck?.ServerName ?? target.Host, RemoteCertificateValidationCallback = Validate },
                step.Token);
            return Result(true, stream.SslProtocol.ToString(), null);
        }
        catch (OperationCanceledException) when (step.Expired)
        {
            return Result(false, null, $"no handshake within {Duration.Format(timeout)}");
        }
        catch (ProbeException e)
        {
            return Result(false, null, $"no connection for the handshake: {e.Message}");
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return Result(false, null, problems.Count > 0 && verify
                ? $"the certificate is not accepted: {string.Join("; ", problems)}"
                : e.GetBaseException().Message);
        }
    }

    private CertificateDiagnosis Describe(X509Certificate2 certificate)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames().Concat(e.EnumerateIPAddresses().Select(a => a.ToString())))
            .ToList();
        return new CertificateDiagnosis(
            certificate.Subject,
            certificate.Issuer,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            notAfter,
            Duration.Format(notAfter - clock.GetUtcNow()),
            names);
    }

    private static IEnumerable<string> DescribeProblems(SslPolicyErrors errors, X509Chain? chain, string host)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            yield return "the server sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            yield return $"the certificate does not name {host}";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            foreach (var status in chain?.ChainStatus ?? [])
            {
                var information = status.StatusInformation.Trim();
                yield return information.Length > 0 ? $"{status.Status}: {information}" : status.Status.ToString();
            }
        }
    }

    /// <param name="address">The address that accepted a connection; requests to the target's host go there.</param>
    private async Task<HttpDiagnosis> RequestAsync(
        Uri url, HttpSettings settings, string host, IPAddress address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = settings.FollowRedirects,
            MaxAutomaticRedirections = MaxRedirects,
            UseProxy = false,
            ConnectCallback = async (context, token) =>
            {
                var name = context.DnsEndPoint.Host.Trim('[', ']');
                var to = string.Equals(name, host, StringComparison.OrdinalIgnoreCase) ? address.ToString() : name;
                var socket = await SocketProbe.ConnectAsync(new HostPort(to, context.DnsEndPoint.Port), new ProbeTrace(clock), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None || !settings.VerifyTls,
            },
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = settings.CreateRequest(url);
        HttpDiagnosis Failed(string error) =>
            new(url.ToString(), null, null, new Dictionary<string, string>(), null, Ms(clock.GetElapsedTime(started)), error);

        using var step = new Step(timeout, clock, cancellationToken);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, step.Token);
            var elapsed = clock.GetElapsedTime(started);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
            {
                headers[name] = string.Join(", ", values);
            }

            return new HttpDiagnosis(
                (response.RequestMessage?.RequestUri ?? url).ToString(),
                $"HTTP/{response.Version.ToString(2)} {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd(),
                (int)response.StatusCode,
                headers,
                await ReadStartAsync(response.Content, step),
                Ms(elapsed),
                null);
        }
        catch (OperationCanceledException) when (step.Expired)
        {
            return Failed($"no response within {Duration.Format(timeout)}");
        }
        catch (HttpRequestException e)
        {
            return Failed(ProbeException.FindIn(e)?.Message ?? e.GetBaseException().Message);
        }
    }

    /// <returns>The start of the body, or null when it does not come in time: the headers are what matter most.</returns>
    private static async Task<string?> ReadStartAsync(HttpContent content, Step step)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(step.Token);
            var buffer = new byte[BodyStartChars * 4];
            var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, step.Token);
            var text = Encoding.UTF8.GetString(buffer, 0, length);
            return text.Length > BodyStartChars ? text[..BodyStartChars] : text;
        }
        catch (Exception e) when ((e is OperationCanceledException && step.Expired) || e is IOException or HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// Traces toward the first address that could not be reached, and only then: a refused connection or one
    /// that was made shows that the route works.
    /// </summary>
    private async Task<TracerouteDiagnosis> TraceAsync(
        Target target,
        IReadOnlyList<IPAddress> addresses,
        IReadOnlyList<ConnectAttempt> attempts,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (target.Port is null)
        {
            return TracerouteDiagnosis.NotRun("the target has no port, so no connection was tried");
        }

        if (addresses.Count == 0)
        {
            return TracerouteDiagnosis.NotRun("there is no address to trace toward");
        }

        if (attempts.Any(a => a.Outcome == ConnectOutcome.Connected))
        {
            return TracerouteDiagnosis.NotRun("a TCP connection was made, so the route is open");
        }

        return attempts.FirstOrDefault(a => a.Outcome != ConnectOutcome.Refused) is { } unreached
            ? await traceroute.TraceAsync(IPAddress.Parse(unreached.Address), unreached.Port, timeout, cancellationToken)
            : TracerouteDiagnosis.NotRun("the host itself refused the connection, so the route to it is open");
    }

    /// <summary>One step's own timeout, told apart from the caller's cancellation (stopping, or the whole diagnosis' limit).</summary>
    private sealed class Step : IDisposable
    {
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;

        public Step(TimeSpan timeout, TimeProvider clock, CancellationToken outer)
        {
            _timeout = new CancellationTokenSource(timeout, clock);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token, outer);
            Outer = outer;
        }

        public CancellationToken Token => _linked.Token;

        /// <summary>True when the step's own time ran out and the caller has not cancelled.</summary>
        public bool Expired => _timeout.IsCancellationRequested && !Outer.IsCancellationRequested;

        private CancellationToken Outer { get; }

        public void Dispose()
        {
            _linked.Dispose();
            _timeout.Dispose();
        }
    }

    /// <summary>What of a monitor's target can be looked at on the network.</summary>
    /// <param name="Port">Null for a target that is only a name to look up (a dns monitor).</param>
    /// <param name="Url">With <paramref name="Http"/>, for an http monitor.</param>
    /// <param name="Record">For a dns monitor, the record type it asks for; null for the others.</param>
    /// <param name="Server">For a dns monitor with a server of its own, that server.</param>
    private sealed record Target(
        string Host,
        int? Port,
        Uri? Url = null,
        HttpSettings? Http = null,
        DnsRecordType? Record = null,
        IPEndPoint? Server = null,
        TlsSettings? TlsCheck = null)
    {
        private static readonly IReadOnlyList<DnsRecordType> Addresses = [DnsRecordType.A, DnsRecordType.AAAA];

        public bool Tls => Url?.Scheme == Uri.UriSchemeHttps || TlsCheck is not null;

        /// <summary>Whether a certificate that fails validation fails the handshake, as it fails the check.</summary>
        public bool VerifyTls => Http?.VerifyTls ?? TlsCheck?.Verify ?? true;

        /// <summary>A and AAAA for a host to connect to; a dns monitor's own type, with both for an address type.</summary>
        public IReadOnlyList<DnsRecordType> DnsTypes =>
            Record is not { } record || record is DnsRecordType.A or DnsRecordType.AAAA ? Addresses : [record];

        /// <summary>
        /// An http URL, a dns name (asked of the monitor's server), or any other type's `host:port` (TCP) or bare host
        /// name (DNS alone); null for a monitor with no target, such as a heartbeat.
        /// </summary>
        public static Target? Of(MonitorConfig monitor)
        {
            var target = monitor.Target;
            if (string.IsNullOrWhiteSpace(target))
            {
                return null;
            }

            switch (monitor.Settings)
            {
                case HttpSettings http when Uri.TryCreate(target, UriKind.Absolute, out var url):
                    return new Target(url.IdnHost.Trim('[', ']'), url.Port, url, http);
                case TlsSettings tls when TlsSettings.TryParseTarget(target, out var tlsEndpoint):
                    return new Target(tlsEndpoint.Host, tlsEndpoint.Port, TlsCheck: tls);
                case DnsSettings dns:
                    var type = dns.RecordType();
                    var server = dns.Server is not null && DnsSettings.TryParseServer(dns.Server, out var configured) ? configured : null;
                    return new Target(DnsSettings.NameToAsk(target, type), null, Record: type, Server: server);
                default:
                    return HostPort.TryParse(target, out var endpoint)
                        ? new Target(endpoint.Host, endpoint.Port)
                        : new Target(target, null);
            }
        }
    }
}
