using System.Net;
using System.Net.Sockets;
using Candor.Monitoring.Checks.Icmp;

namespace Candor.Tests.Network;

/// <summary>
/// Answers built byte by byte, for the shapes the real tests do not meet: the namespaces carry IPv4 only, and the
/// kernel sends IPv4 headers without options.
/// </summary>
public sealed class IcmpAnswerParsingTests
{
    private const ushort Identifier = 0xCA1D;
    private static readonly IPAddress Router = IPAddress.Parse("2001:db8:1::1");
    private static readonly IPAddress Target = IPAddress.Parse("2001:db8:2::9");

    [Fact]
    public void An_ipv6_time_exceeded_error_is_matched_to_the_request_it_quotes()
    {
        var error = Icmpv6Error(type: 3, IcmpPackets.EchoRequest(AddressFamily.InterNetworkV6, Identifier, 7));

        Assert.True(IcmpPackets.TryReadAnswer(error, AddressFamily.InterNetworkV6, Identifier, Router, out var answer));
        Assert.Equal(new IcmpAnswer(EchoStatus.TimeExceeded, 7, Target), answer);
    }

    [Fact]
    public void An_ipv6_destination_unreachable_error_is_matched_to_the_request_it_quotes()
    {
        var error = Icmpv6Error(type: 1, IcmpPackets.EchoRequest(AddressFamily.InterNetworkV6, Identifier, 8));

        Assert.True(IcmpPackets.TryReadAnswer(error, AddressFamily.InterNetworkV6, Identifier, Router, out var answer));
        Assert.Equal(new IcmpAnswer(EchoStatus.Unreachable, 8, Target), answer);
    }

    [Fact]
    public void An_error_about_another_programs_request_is_not_ours()
    {
        var error = Icmpv6Error(type: 3, IcmpPackets.EchoRequest(AddressFamily.InterNetworkV6, Identifier + 1, 7));

        Assert.False(IcmpPackets.TryReadAnswer(error, AddressFamily.InterNetworkV6, Identifier, Router, out _));
    }

    [Fact]
    public void An_ipv4_reply_after_a_header_with_options_is_read()
    {
        var reply = IcmpPackets.EchoRequest(AddressFamily.InterNetwork, Identifier, 9);
        reply[0] = 0;
        byte[] header = [0x46, 0, 0, 0, 0, 0, 0, 0, 64, 1, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2, 1, 1, 1, 0];

        Assert.True(IcmpPackets.TryReadAnswer(
            [.. header, .. reply], AddressFamily.InterNetwork, Identifier, IPAddress.Parse("192.0.2.1"), out var answer));
        Assert.Equal(new IcmpAnswer(EchoStatus.Reply, 9, IPAddress.Parse("192.0.2.1")), answer);
    }

    [Fact]
    public void An_ipv4_request_carries_a_checksum_that_verifies()
    {
        var request = IcmpPackets.EchoRequest(AddressFamily.InterNetwork, Identifier, 1);

        Assert.Equal(0, IcmpPackets.Checksum(request));
    }

    [Fact]
    public void A_truncated_answer_is_ignored()
    {
        Assert.False(IcmpPackets.TryReadAnswer([129, 0, 0], AddressFamily.InterNetworkV6, Identifier, Router, out _));
        Assert.False(IcmpPackets.TryReadAnswer([0x45, 0, 0, 0], AddressFamily.InterNetwork, Identifier, Router, out _));
    }

    /// <summary>An ICMPv6 error as the router sends it: its header, then the IPv6 header and start of the request.</summary>
    private static byte[] Icmpv6Error(byte type, byte[] request)
    {
        var quotedHeader = new byte[40];
        quotedHeader[0] = 0x60;
        quotedHeader[6] = 58;
        quotedHeader[7] = 1;
        IPAddress.Parse("2001:db8:0::5").GetAddressBytes().CopyTo(quotedHeader, 8);
        Target.GetAddressBytes().CopyTo(quotedHeader, 24);
        return [type, 0, 0, 0, 0, 0, 0, 0, .. quotedHeader, .. request];
    }
}
