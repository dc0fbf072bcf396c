using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Candor.Configuration;

namespace Candor.Monitoring.Checks;

/// <summary>
/// Makes a TLS handshake with `host:port` and reports what the server presented: the protocol version, whether
/// the chain is trusted and names the host, when the certificate expires, and who issued it. The chain is
/// judged on the check's clock, so that "expired" means expired at the time the check ran.
/// </summary>
public sealed class TlsCheck : Check<TlsSettings>
{
    protected override async Task<Observation> RunAsync(
        MonitorConfig monitor, TlsSettings settings, CheckContext context, CancellationToken cancellationToken)
    {
        if (!TlsSettings.TryParseTarget(monitor.Target, out var endpoint))
        {
            throw new InvalidOperationException($"the tls target '{monitor.Target}' got past validation");
        }

        var trace = new ProbeTrace(context.Clock);
        X509Certificate2Collection anchors = [];
        if (settings.CaFile is { } caFile)
        {
            try
            {
                anchors = TlsSettings.ReadCaFile(caFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                return trace.Failed(ErrorKind.Internal, $"cannot read ca_file {caFile}: {ex.Message}");
            }
        }

        try
        {
            var handshake = new Handshake(endpoint, settings.ServerName ?? endpoint.Host, anchors, trace, context.Clock);
            return await handshake.RunAsync(settings.Verify, monitor.Timeout, cancellationToken);
        }
        finally
        {
            foreach (var anchor in anchors)
            {
                anchor.Dispose();
            }
        }
    }

    /// <summary>One run: the certificate callback records into it what the server presented.</summary>
    private sealed class Handshake(
        HostPort endpoint, string serverName, X509Certificate2Collection anchors, ProbeTrace trace, TimeProvider clock)
    {
        private Presented? _presented;

        public async Task<Observation> RunAsync(bool verify, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var handshakeStarted = 0L;
            try
            {
                using var socket = await SocketProbe.ConnectAsync(endpoint, trace, cancellationToken);
                handshakeStarted = trace.Enter($"in the TLS handshake with {endpoint}");
                await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                await tls.AuthenticateAsClientAsync(Options(), cancellationToken);
                trace.AddTls(handshakeStarted);
                return Observe(tls.SslProtocol, verify);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return trace.TimedOut(timeout);
            }
            catch (ProbeException ex)
            {
                return trace.Failed(ex.Kind, ex.Message);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                trace.AddTls(handshakeStarted);
                return trace.Failed(ErrorKind.Tls, $"TLS handshake with {endpoint} failed: {ex.GetBaseException().Message}");
            }
        }

        [SuppressMessage("Security", "CA5359", Justification = "Record judges the certificate; the check sends nothing over the connection.")]
        private SslClientAuthenticationOptions Options()
        {
            var policy = new X509ChainPolicy
            {
                // A probe must not reach out to third parties: no revocation lookups, and no fetching of intermediate
                // certificates the server left out, which browsers without that fetch would fail on too.
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
                VerificationTime = clock.GetUtcNow().UtcDateTime,
            };
            if (anchors.Count > 0)
            {
                policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                policy.CustomTrustStore.AddRange(anchors);
            }

            return new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = Record,
            };
        }

        /// <summary>
        /// Accepts every certificate, so that the handshake completes and all its facts can be reported; whether a
        /// problem fails the check is decided afterwards, by <c>verify</c>.
        /// </summary>
        private bool Record(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate is X509Certificate2 leaf)
            {
                // The chain is disposed once this returns, so its verdict is put into words now.
                _presented = new Presented(
                    leaf.Subject,
                    leaf.Issuer,
                    new DateTimeOffset(leaf.NotAfter.ToUniversalTime()),
                    ChainProblems(errors, chain, leaf),
                    errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                        ? $"certificate for {string.Join(", ", NamesOf(leaf))} does not match {serverName}"
                        : null);
            }

            return true;
        }

        private Observation Observe(SslProtocols protocol, bool verify)
        {
            if (_presented is not { } presented)
            {
                return trace.Failed(ErrorKind.Tls, $"TLS handshake with {endpoint} failed: the server sent no certificate");
            }

            var total = trace.Elapsed;
            var facts = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["tls_version"] = VersionName(protocol),
                ["chain_valid"] = presented.ChainProblems.Count == 0,
                ["hostname_valid"] = presented.NameProblem is null,
                ["cert_expires_in"] = presented.NotAfter - clock.GetUtcNow(),
                ["issuer"] = presented.Issuer,
                ["subject"] = presented.Subject,
                ["response_time"] = total,
            };
            var problems = presented.NameProblem is null ? presented.ChainProblems : [.. presented.ChainProblems, presented.NameProblem];
            return new Observation
            {
                Failure = verify && problems.Count > 0 ? ErrorKind.Tls : null,
                FailureMessage = verify && problems.Count > 0 ? string.Join("; ", problems) : null,
                Facts = facts,
                ResponseTime = total,
                Timings = trace.Timings(),
            };
        }

        private List<string> ChainProblems(SslPolicyErrors errors, X509Chain? chain, X509Certificate2 leaf)
        {
            if (!errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
            {
                return [];
            }

            var problems = new List<string>();
            var elements = chain?.ChainElements.ToList() ?? [];
            for (var i = 0; i < elements.Count; i++)
            {
                var certificate = elements[i].Certificate;
                var which = i == 0 ? "certificate" : $"issuing certificate '{certificate.Subject}'";
                foreach (var status in elements[i].ChainElementStatus)
                {
                    problems.Add(status.Status switch
                    {
                        X509ChainStatusFlags.NotTimeValid when certificate.NotAfter.ToUniversalTime() < clock.GetUtcNow().UtcDateTime =>
                            $"{which} expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}",
                        X509ChainStatusFlags.NotTimeValid => $"{which} is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd}",
                        X509ChainStatusFlags.UntrustedRoot when elements.Count == 1 && IsSelfSigned(certificate) => "self-signed certificate",
                        X509ChainStatusFlags.UntrustedRoot => $"certificate chain ends at '{certificate.Subject}', which is not trusted",
                        X509ChainStatusFlags.PartialChain =>
                            $"the issuer of '{certificate.Subject}' is unknown ('{certificate.Issuer}'); is the server sending its intermediate certificates?",
                        X509ChainStatusFlags.Revoked => $"{which} has been revoked",
                        X509ChainStatusFlags.NotSignatureValid => $"{which} has an invalid signature",
                        _ => $"{which}: {status.StatusInformation.Trim()}",
                    });
                }
            }

            if (problems.Count == 0)
            {
                problems.Add(chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).FirstOrDefault(s => s.Length > 0)
                             ?? $"the chain of '{leaf.Subject}' is not valid");
            }

            return [.. problems.Distinct()];
        }

        private static bool IsSelfSigned(X509Certificate2 certificate) =>
            certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

        /// <summary>The names a certificate is for: its DNS names and addresses, or its common name when it lists none.</summary>
        private static List<string> NamesOf(X509Certificate2 certificate)
        {
            var alternative = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
            var names = alternative is null
                ? []
                : alternative.EnumerateDnsNames().Concat(alternative.EnumerateIPAddresses().Select(a => a.ToString())).ToList();
            return names.Count > 0 ? names : [certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)];
        }

        private static string VersionName(SslProtocols protocol) => protocol switch
        {
            SslProtocols.Tls13 => "TLSv1.3",
            SslProtocols.Tls12 => "TLSv1.2",
            _ => protocol.ToString(),
        };
    }

    private sealed record Presented(
        string Subject, string Issuer, DateTimeOffset NotAfter, IReadOnlyList<string> ChainProblems, string? NameProblem);
}
