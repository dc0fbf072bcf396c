using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Candor.Monitoring.Checks.Icmp;

/// <summary>An answer that belongs to one of our echo requests.</summary>
/// <param name="Regarding">The address the request was sent to, as the answer shows it.</param>
internal readonly record struct IcmpAnswer(EchoStatus Status, ushort Sequence, IPAddress Regarding);

/// <summary>
/// Echo requests as they go on the wire, and the answers to them as a raw socket receives them: echo replies, and
/// the time-exceeded and destination-unreachable errors that quote the request they are about (RFC 792, RFC 4443).
/// </summary>
internal static class IcmpPackets
{
    private const int HeaderLength = 8;
    private const int Ipv6HeaderLength = 40;
    private const byte IcmpProtocol = 1;
    private const byte IcmpV6NextHeader = 58;

    /// <summary>As much as ping sends by default, so that the path treats our requests as it treats ping's.</summary>
    private const int PayloadLength = 56;

    public static byte[] EchoRequest(AddressFamily family, ushort identifier, ushort sequence)
    {
        var packet = new byte[HeaderLength + PayloadLength];
        packet[0] = family == AddressFamily.InterNetworkV6 ? Icmpv6.EchoRequest : Icmpv4.EchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        for (var i = HeaderLength; i < packet.Length; i++)
        {
            packet[i] = (byte)i;
        }

        // The kernel computes the ICMPv6 checksum itself, because it covers a pseudo-header only the kernel knows.
        if (family == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        }

        return packet;
    }

    /// <param name="datagram">What the raw socket received: with the IPv4 header for IPv4, without a header for IPv6.</param>
    /// <param name="from">The sender, as the socket reported it.</param>
    public static bool TryReadAnswer(
        ReadOnlySpan<byte> datagram, AddressFamily family, ushort identifier, IPAddress from, out IcmpAnswer answer) =>
        family == AddressFamily.InterNetworkV6
            ? TryReadV6(datagram, identifier, from, out answer)
            : TryReadV4(datagram, identifier, from, out answer);

    private static bool TryReadV4(ReadOnlySpan<byte> datagram, ushort identifier, IPAddress from, out IcmpAnswer answer)
    {
        answer = default;
        if (!TrySkipIpv4Header(datagram, out var icmp))
        {
            return false;
        }

        var status = icmp[0] switch
        {
            Icmpv4.EchoReply => EchoStatus.Reply,
            Icmpv4.TimeExceeded => EchoStatus.TimeExceeded,
            Icmpv4.DestinationUnreachable => EchoStatus.Unreachable,
            _ => (EchoStatus?)null,
        };
        if (status is null)
        {
            return false;
        }

        if (status == EchoStatus.Reply)
        {
            return TryReadEcho(icmp, identifier, status.Value, from, out answer);
        }

        // An error quotes the IP header of the request it is about and the first eight bytes after it.
        var quoted = icmp[HeaderLength..];
        return TrySkipIpv4Header(quoted, out var request)
               && request[0] == Icmpv4.EchoRequest
               && TryReadEcho(request, identifier, status.Value, new IPAddress(quoted.Slice(16, 4)), out answer);
    }

    private static bool TryReadV6(ReadOnlySpan<byte> icmp, ushort identifier, IPAddress from, out IcmpAnswer answer)
    {
        answer = default;
        if (icmp.Length < HeaderLength)
        {
            return false;
        }

        var status = icmp[0] switch
        {
            Icmpv6.EchoReply => EchoStatus.Reply,
            Icmpv6.TimeExceeded => EchoStatus.TimeExceeded,
            Icmpv6.DestinationUnreachable => EchoStatus.Unreachable,
            _ => (EchoStatus?)null,
        };
        if (status is null)
        {
            return false;
        }

        if (status == EchoStatus.Reply)
        {
            return TryReadEcho(icmp, identifier, status.Value, from, out answer);
        }

        // Our requests carry no extension headers, so the quoted request follows the fixed IPv6 header directly.
        var quoted = icmp[HeaderLength..];
        return quoted.Length >= Ipv6HeaderLength + HeaderLength
               && quoted[6] == IcmpV6NextHeader
               && quoted[Ipv6HeaderLength] == Icmpv6.EchoRequest
               && TryReadEcho(quoted[Ipv6HeaderLength..], identifier, status.Value, new IPAddress(quoted.Slice(24, 16)), out answer);
    }

    private static bool TrySkipIpv4Header(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (packet.Length < 20 || packet[0] >> 4 != 4 || packet[9] != IcmpProtocol)
        {
            return false;
        }

        var headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < 20 || packet.Length < headerLength + HeaderLength)
        {
            return false;
        }

        payload = packet[headerLength..];
        return true;
    }

    private static bool TryReadEcho(
        ReadOnlySpan<byte> echo, ushort identifier, EchoStatus status, IPAddress regarding, out IcmpAnswer answer)
    {
        answer = default;
        if (echo.Length < HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(echo[4..]) != identifier)
        {
            return false;
        }

        answer = new IcmpAnswer(status, BinaryPrimitives.ReadUInt16BigEndian(echo[6..]), regarding);
        return true;
    }

    /// <summary>The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of 16-bit words.</summary>
    internal static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static class Icmpv4
    {
        public const byte EchoReply = 0;
        public const byte DestinationUnreachable = 3;
        public const byte EchoRequest = 8;
        public const byte TimeExceeded = 11;
    }

    private static class Icmpv6
    {
        public const byte DestinationUnreachable = 1;
        public const byte TimeExceeded = 3;
        public const byte EchoRequest = 128;
        public const byte EchoReply = 129;
    }
}
