using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Candor.Monitoring.Checks;

/// <summary>A host and port as a target names them: <c>db.internal:5432</c>, <c>10.0.0.5:22</c>, <c>[2001:db8::1]:443</c>.</summary>
internal readonly record struct HostPort(string Host, int Port)
{
    /// <exception cref="FormatException">The text is not host:port; validation rejects such targets at load.</exception>
    public static HostPort Parse(string? text) =>
        TryParse(text, out var endpoint) ? endpoint : throw new FormatException($"'{text}' is not host:port");

    public static bool TryParse(string? text, out HostPort endpoint)
    {
        endpoint = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string host;
        string port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
            if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else
        {
            // A second colon means an IPv6 address without brackets, whose port cannot be told apart.
            var colon = text.IndexOf(':');
            if (colon <= 0 || text.LastIndexOf(':') != colon)
            {
                return false;
            }

            host = text[..colon];
            port = text[(colon + 1)..];
        }

        if (host.Any(char.IsWhiteSpace)
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < 1 or > 65535)
        {
            return false;
        }

        endpoint = new HostPort(host, number);
        return true;
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
