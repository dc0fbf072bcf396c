using System.Net;

namespace Candor.Monitoring.Checks.Dns;

/// <summary>The resolver this machine uses: the first `nameserver` of /etc/resolv.conf, as the C library takes it.</summary>
public static class SystemResolver
{
    public const string ConfigPath = "/etc/resolv.conf";

    public const int DnsPort = 53;

    /// <summary>What the C library asks when resolv.conf names no server.</summary>
    public static IPEndPoint Fallback => new(IPAddress.Loopback, DnsPort);

    public static async Task<IPEndPoint> FindAsync(CancellationToken cancellationToken)
    {
        try
        {
            return FromResolvConf(await File.ReadAllTextAsync(ConfigPath, cancellationToken));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return Fallback;
        }
    }

    public static IPEndPoint FromResolvConf(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["nameserver", var address, ..] && IPAddress.TryParse(address, out var ip))
            {
                return new IPEndPoint(ip, DnsPort);
            }
        }

        return Fallback;
    }
}
