using System.Net;
using System.Net.Sockets;

namespace Candor.Notifications;

/// <summary>
/// Where a subscriber's webhook may be sent. Anyone can ask for a webhook on the public page, so without this rule a
/// visitor could have Candor post into the network it runs in: a loopback admin port, a cloud's metadata service, a
/// database's HTTP interface. Only addresses reachable across the internet are allowed, unless
/// <c>notifications.private_webhooks</c> says the subscribers are the operator's own.
/// </summary>
public static class WebhookAddresses
{
    public const string ConfigKey = "notifications.private_webhooks";

    /// <summary>IPv4 ranges that are not routed on the internet (RFC 6890 and the ranges it lists).</summary>
    private static readonly (IPAddress Network, int Bits)[] PrivateV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8), // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),
        (IPAddress.Parse("100.64.0.0"), 10), // carrier-grade NAT
        (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("169.254.0.0"), 16), // link-local, where clouds answer metadata requests
        (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24),
        (IPAddress.Parse("192.0.2.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15),
        (IPAddress.Parse("198.51.100.0"), 24),
        (IPAddress.Parse("203.0.113.0"), 24),
        (IPAddress.Parse("224.0.0.0"), 4), // multicast
        (IPAddress.Parse("240.0.0.0"), 4), // reserved, and the broadcast address
    ];

    /// <summary>IPv6 ranges that are not routed on the internet, besides those that carry an IPv4 address.</summary>
    private static readonly (IPAddress Network, int Bits)[] PrivateV6 =
    [
        (IPAddress.Parse("::"), 96), // unspecified, loopback and the old IPv4-compatible form
        (IPAddress.Parse("100::"), 64), // discard
        (IPAddress.Parse("2001:db8::"), 32), // documentation
        (IPAddress.Parse("fc00::"), 7), // unique local
        (IPAddress.Parse("fe80::"), 10), // link-local
        (IPAddress.Parse("fec0::"), 10), // site-local, deprecated but still routed inside some networks
        (IPAddress.Parse("ff00::"), 8), // multicast
    ];

    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");
    private static readonly IPAddress SixToFour = IPAddress.Parse("2002::");

    /// <summary>Whether the address is reachable across the internet, judging an IPv4 address inside IPv6 by itself.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !PrivateV4.Any(range => InRange(address, range.Network, range.Bits));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        // NAT64 and 6to4 lead to the IPv4 address they carry.
        var bytes = address.GetAddressBytes();
        if (InRange(address, Nat64, 96))
        {
            return IsPublic(new IPAddress(bytes.AsSpan(12, 4)));
        }

        if (InRange(address, SixToFour, 16))
        {
            return IsPublic(new IPAddress(bytes.AsSpan(2, 4)));
        }

        return !PrivateV6.Any(range => InRange(address, range.Network, range.Bits));
    }

    /// <summary>
    /// Why a URL cannot be a subscriber's webhook by its host alone: an address that is not public, or a name that is
    /// always this machine (RFC 6761). A name's addresses are checked when it is sent to, since they can change.
    /// </summary>
    public static string? HostProblem(Uri url)
    {
        var host = url.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"{host} is always this machine";
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && !IsPublic(address)
            ? $"{address} is not a public address"
            : null;
    }

    /// <summary>
    /// Connects a subscriber's webhook only to the public addresses its name has now, so that a name which answers
    /// with a private address (or turns to one after it was subscribed) gets no connection.
    /// </summary>
    public static ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // A proxy the operator configured is reached as it is. The proxy resolves the webhook's name, so behind it
        // only the URL's own host is checked (HostProblem, before the post).
        var proxied = context.InitialRequestMessage.RequestUri is { } url
            && !string.Equals(url.IdnHost.Trim('[', ']'), context.DnsEndPoint.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
        return ConnectAsync(context.DnsEndPoint, proxied, Dns.GetHostAddressesAsync, cancellationToken);
    }

    /// <param name="resolve">Looks up a name's addresses: the system's resolver, but for tests.</param>
    public static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint endpoint, bool proxied, Func<string, CancellationToken, Task<IPAddress[]>> resolve, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolve(endpoint.Host, cancellationToken);
        var allowed = proxied ? addresses : [.. addresses.Where(IsPublic)];
        if (allowed.Length == 0)
        {
            throw new PrivateAddressException(Refusal(
                $"{endpoint.Host} has no public address ({string.Join(", ", addresses.Select(a => a.ToString()))})"));
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, endpoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                last = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    /// <summary>What a refused webhook is told, with how to allow it.</summary>
    public static string Refusal(string problem) =>
        $"{problem}, and subscribers' webhooks go only to public addresses unless {ConfigKey} is true";

    private static bool InRange(IPAddress address, IPAddress network, int bits)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out var length);
        network.TryWriteBytes(n, out _);
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : 0xFF << (8 - bits) & 0xFF;
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A webhook refused for where it points; sending it again cannot succeed until the config or its DNS changes.</summary>
public sealed class PrivateAddressException(string message) : Exception(message);
