using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Candor.Configuration;
using Candor.Storage;

namespace Candor.Monitoring.Checks.Smtp;

/// <summary>
/// Holds one SMTP conversation with a mail server: banner, EHLO, STARTTLS, AUTH, and in round-trip mode a probe
/// message, then QUIT. It reports the banner, the extensions, whether TLS was negotiated and the time each phase
/// took; a reply other than the one the protocol calls for is a failure that quotes it.
/// </summary>
public sealed class SmtpCheck(IMailProbeLedger probes) : Check<SmtpSettings>
{
    protected override async Task<Observation> RunAsync(
        MonitorConfig monitor, SmtpSettings settings, CheckContext context, CancellationToken cancellationToken)
    {
        if (!SmtpSettings.TryParseTarget(monitor.Target, out var endpoint))
        {
            throw new FormatException($"'{monitor.Target}' is not host or host:port");
        }

        var trace = new ProbeTrace(context.Clock);
        try
        {
            using var socket = await SocketProbe.ConnectAsync(endpoint, trace, cancellationToken);
            await using var connection = new SmtpConnection(new NetworkStream(socket, ownsSocket: false), endpoint, trace);
            return await new Conversation(settings, endpoint, trace, context.Clock, connection, probes).RunAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return trace.TimedOut(monitor.Timeout);
        }
        catch (ProbeException ex)
        {
            return trace.Failed(ex.Kind, ex.Message);
        }
        catch (IOException ex)
        {
            return trace.Failed(
                ErrorKind.Connect, $"connection to {endpoint} broke while {trace.Phase}: {ex.GetBaseException().Message}");
        }
    }

    private sealed class Conversation(
        SmtpSettings settings, HostPort endpoint, ProbeTrace trace, TimeProvider clock, SmtpConnection connection, IMailProbeLedger probes)
    {
        private const string StartTls = "STARTTLS";

        private SmtpReply? _greeting;
        private bool _tls;
        private TimeSpan? _certExpiresIn;
        private string? _certificateProblem;

        public async Task<Observation> RunAsync(CancellationToken cancellationToken)
        {
            var waitingSince = trace.Enter("waiting for the banner");
            var banner = await connection.ReadReplyAsync(cancellationToken);
            var firstByte = clock.GetElapsedTime(waitingSince);
            if (banner.Code != 220)
            {
                throw new ProbeException(ErrorKind.Protocol, $"expected 220 but got {banner}");
            }

            await GreetAsync(cancellationToken);
            if (settings.Starttls != StartTlsMode.Off)
            {
                if (Extensions.Contains(StartTls))
                {
                    await StartTlsAsync(cancellationToken);
                }
                else if (settings.Starttls == StartTlsMode.Required)
                {
                    throw new ProbeException(ErrorKind.Tls, $"{endpoint} does not offer STARTTLS, and starttls is required");
                }
            }

            if (settings.Username is { } username)
            {
                await SignInAsync(username, settings.Password ?? "", cancellationToken);
            }

            if (settings.SendTo is { } sendTo)
            {
                await SendProbeAsync(sendTo, cancellationToken);
            }

            await SayGoodbyeAsync(cancellationToken);
            var total = trace.Elapsed;
            var facts = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["banner"] = string.Join("\n", banner.Lines),
                ["extensions"] = Extensions,
                ["starttls"] = _tls,
                ["response_time"] = total,
            };
            if (_certExpiresIn is { } expiresIn)
            {
                facts["cert_expires_in"] = expiresIn;
            }

            return new Observation { Facts = facts, ResponseTime = total, Timings = trace.Timings(firstByte) };
        }

        /// <summary>The keywords of the extensions the server advertised in its last EHLO reply, e.g. STARTTLS, AUTH, SIZE.</summary>
        private IReadOnlyList<string> Extensions =>
            _greeting is null ? [] : [.. ExtensionLines.Select(line => line.Split(' ')[0]).Distinct(StringComparer.Ordinal)];

        /// <summary>Each extension line in upper case, with its parameters: "AUTH PLAIN LOGIN", "SIZE 10240000".</summary>
        private IEnumerable<string> ExtensionLines =>
            _greeting?.Lines.Skip(1).Select(line => line.Trim().ToUpperInvariant()).Where(line => line.Length > 0) ?? [];

        private async Task GreetAsync(CancellationToken cancellationToken)
        {
            trace.Enter("waiting for the reply to EHLO");
            var reply = await connection.CommandAsync($"EHLO {settings.EhloName}", cancellationToken);
            if (reply.Code == 250)
            {
                _greeting = reply;
                return;
            }

            if (reply.Code is < 500 or > 504)
            {
                throw new ProbeException(ErrorKind.Protocol, $"expected 250 to EHLO but got {reply}");
            }

            // A server that does not know EHLO still takes mail after HELO, only without extensions.
            trace.Enter("waiting for the reply to HELO");
            var helo = await connection.CommandAsync($"HELO {settings.EhloName}", cancellationToken);
            if (helo.Code != 250)
            {
                throw new ProbeException(ErrorKind.Protocol, $"expected 250 to HELO but got {helo}");
            }

            _greeting = null;
        }

        private async Task StartTlsAsync(CancellationToken cancellationToken)
        {
            trace.Enter("waiting for the reply to STARTTLS");
            var reply = await connection.CommandAsync(StartTls, cancellationToken);
            if (reply.Code != 220)
            {
                throw new ProbeException(ErrorKind.Tls, $"{endpoint} offers STARTTLS but refused it: {reply}");
            }

            var started = trace.Enter($"in the TLS handshake with {endpoint.Host}");
            try
            {
                await connection.UpgradeAsync(
                    new SslClientAuthenticationOptions { TargetHost = endpoint.Host, RemoteCertificateValidationCallback = ValidateCertificate },
                    cancellationToken);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new ProbeException(
                    ErrorKind.Tls, $"TLS handshake with {endpoint.Host} failed: {_certificateProblem ?? ex.GetBaseException().Message}", ex);
            }
            finally
            {
                trace.AddTls(started);
            }

            _tls = true;

            // RFC 3207: what the server said before TLS may have been tampered with; it is asked again.
            await GreetAsync(cancellationToken);
        }

        private async Task SignInAsync(string username, string password, CancellationToken cancellationToken)
        {
            if (!_tls)
            {
                throw new ProbeException(ErrorKind.Tls, $"{endpoint} does not offer STARTTLS, and the password is never sent in the clear");
            }

            var mechanisms = ExtensionLines
                .Where(line => line.StartsWith("AUTH ", StringComparison.Ordinal))
                .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
                .ToHashSet(StringComparer.Ordinal);
            if (mechanisms.Count == 0)
            {
                throw new ProbeException(ErrorKind.Protocol, $"{endpoint} does not offer AUTH, so the credentials cannot be checked");
            }

            trace.Enter($"signing in as '{username}'");
            SmtpReply reply;
            if (mechanisms.Contains("PLAIN"))
            {
                reply = await connection.CommandAsync($"AUTH PLAIN {Base64($"\0{username}\0{password}")}", cancellationToken);
            }
            else if (mechanisms.Contains("LOGIN"))
            {
                reply = await connection.CommandAsync("AUTH LOGIN", cancellationToken);
                if (reply.Code == 334)
                {
                    reply = await connection.CommandAsync(Base64(username), cancellationToken);
                }

                if (reply.Code == 334)
                {
                    reply = await connection.CommandAsync(Base64(password), cancellationToken);
                }
            }
            else
            {
                throw new ProbeException(
                    ErrorKind.Protocol,
                    $"{endpoint} offers AUTH {string.Join(" ", mechanisms.Order(StringComparer.Ordinal))}; the check signs in with PLAIN or LOGIN");
            }

            if (reply.Code != 235)
            {
                throw new ProbeException(ErrorKind.Assertion, $"{endpoint} refused the credentials of '{username}': {reply}");
            }
        }

        /// <summary>Sends the probe and, once the server has taken it, records it for the heartbeat to judge.</summary>
        private async Task SendProbeAsync(string sendTo, CancellationToken cancellationToken)
        {
            await ExpectAsync($"MAIL FROM:<{settings.MailFrom}>", [250], cancellationToken);
            await ExpectAsync($"RCPT TO:<{sendTo}>", [250, 251], cancellationToken);
            await ExpectAsync("DATA", [354], cancellationToken);

            var token = ProbeTokens.New();
            trace.Enter("waiting for the server to accept the probe");
            var reply = await connection.SendMessageAsync(ProbeMessage.Compose(settings, token, clock.GetUtcNow()), cancellationToken);
            if (reply.Code != 250)
            {
                throw new ProbeException(ErrorKind.Assertion, $"{endpoint} refused the probe message: {reply}");
            }

            if (settings.Heartbeat is { } heartbeat)
            {
                var sentAt = clock.StoredNow();
                await probes.RecordMailProbeAsync(new MailProbe(heartbeat, token, sentAt, sentAt + settings.Deadline), cancellationToken);
            }
        }

        private async Task ExpectAsync(string command, int[] accepted, CancellationToken cancellationToken)
        {
            var verb = command.Split(':')[0];
            trace.Enter($"waiting for the reply to {verb}");
            var reply = await connection.CommandAsync(command, cancellationToken);
            if (!accepted.Contains(reply.Code))
            {
                throw new ProbeException(ErrorKind.Assertion, $"{endpoint} refused {command}: {reply}");
            }
        }

        private async Task SayGoodbyeAsync(CancellationToken cancellationToken)
        {
            trace.Enter("waiting for the reply to QUIT");
            try
            {
                await connection.CommandAsync("QUIT", cancellationToken);
            }
            catch (Exception ex) when (ex is ProbeException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // Goodbye is a courtesy: a server that hangs up without answering it has done all that was asked.
            }
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

        private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }
}
