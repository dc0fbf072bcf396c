using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Candor.Configuration;
using Candor.Monitoring.Checks.Dns;

namespace Candor.Monitoring.Checks;

/// <summary>The keys of a `tls` monitor; its target is `host:port`, or a host alone for port 443.</summary>
public sealed record TlsSettings : IValidatableConfig
{
    public const int DefaultPort = 443;

    /// <summary>The name sent in SNI and checked against the certificate; the target's host when absent.</summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// Whether an untrusted chain or a certificate for another name fails the check. When false they are only
    /// reported (`chain_valid`, `hostname_valid`), for conditions to judge.
    /// </summary>
    public bool Verify { get; init; } = true;

    /// <summary>
    /// A PEM file of the certificates to trust instead of the system's store: for services behind a private CA.
    /// Read on every run, so that a renewed CA is picked up without a restart.
    /// </summary>
    public string? CaFile { get; init; }

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (ServerName is not null && !IPAddress.TryParse(ServerName, out _) && DnsName.Problem(ServerName) is { } nameProblem)
        {
            yield return new ConfigProblem("server_name", nameProblem);
        }

        if (CaFile is not null && CaFileProblem(CaFile) is { } caProblem)
        {
            yield return new ConfigProblem("ca_file", caProblem);
        }

        if (monitor is null)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(monitor.Target))
        {
            yield return new ConfigProblem("target", "a tls monitor needs a target host:port, e.g. www.example.com:443");
        }
        else if (!TryParseTarget(monitor.Target, out _))
        {
            yield return new ConfigProblem(
                "target", $"'{monitor.Target}' is not host or host:port (an IPv6 address is written [2001:db8::1]:443)");
        }
    }

    /// <summary>`host:port`, `[v6]:port`, or a host or address alone, which means port 443.</summary>
    internal static bool TryParseTarget(string? text, out HostPort endpoint)
    {
        if (HostPort.TryParse(text, out endpoint))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var bare = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (IPAddress.TryParse(bare, out var address)
            && (address.AddressFamily == AddressFamily.InterNetworkV6 || bare.Count(c => c == '.') == 3))
        {
            endpoint = new HostPort(bare, DefaultPort);
            return true;
        }

        if (text.Contains(':', StringComparison.Ordinal) || DnsName.Problem(text) is not null)
        {
            return false;
        }

        endpoint = new HostPort(text, DefaultPort);
        return true;
    }

    /// <summary>The certificates of <see cref="CaFile"/>.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="CryptographicException">A certificate in it is malformed.</exception>
    internal static X509Certificate2Collection ReadCaFile(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates;
    }

    private static string? CaFileProblem(string path)
    {
        try
        {
            var certificates = ReadCaFile(path);
            var count = certificates.Count;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            return count == 0 ? $"{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return $"cannot read {path}: {ex.Message}";
        }
    }
}
