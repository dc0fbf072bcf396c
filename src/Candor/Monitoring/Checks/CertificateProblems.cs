using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Candor.Monitoring.Checks;

/// <summary>Says in words why a certificate was refused, for every check that makes a TLS handshake.</summary>
internal static class CertificateProblems
{
    public static string Describe(
        SslPolicyErrors errors, X509Chain? chain, X509Certificate2? certificate, DateTimeOffset now)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server sent no certificate";
        }

        var problems = new List<string>();
        var status = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status)
                     ?? X509ChainStatusFlags.NoError;
        if (status.HasFlag(X509ChainStatusFlags.NotTimeValid) && certificate is not null)
        {
            problems.Add(certificate.NotAfter.ToUniversalTime() < now.UtcDateTime
                ? $"certificate has expired (on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd})"
                : $"certificate is not valid until {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd}");
        }

        if (status.HasFlag(X509ChainStatusFlags.Revoked))
        {
            problems.Add("certificate has been revoked");
        }

        if (status.HasFlag(X509ChainStatusFlags.UntrustedRoot))
        {
            problems.Add("certificate is not trusted (self-signed or from an unknown authority)");
        }

        if (status.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            problems.Add("certificate chain is incomplete (is the server sending its intermediate certificates?)");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add("certificate does not name this host");
        }

        if (problems.Count == 0)
        {
            problems.Add(chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).FirstOrDefault(s => s.Length > 0)
                         ?? errors.ToString());
        }

        return string.Join("; ", problems);
    }
}
