using System.Net;
using System.Net.Sockets;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Monitoring.Checks.Icmp;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

/// <summary>
/// Without CAP_NET_RAW. The checks open their socket before their first real await, so the capability is
/// missing where it matters; had that changed, the socket would open with the capability and these tests would fail.
/// </summary>
public sealed class IcmpNotPermittedTests
{
    private const string Expected = "ICMP needs raw sockets: run as root or grant CAP_NET_RAW";

    [Fact]
    public void Opening_an_echo_client_says_what_is_needed()
    {
        var refused = WithoutRawSockets.Run(() =>
            Record.Exception(() => IcmpEchoClient.Open(AddressFamily.InterNetwork, TimeProvider.System)));

        var exception = Assert.IsType<IcmpNotPermittedException>(refused);
        Assert.Equal(Expected, exception.Message);
    }

    [Fact]
    public async Task The_icmp_check_fails_with_an_internal_error_that_says_what_is_needed()
    {
        var monitor = Probes.Monitor("icmp", "127.0.0.1", new IcmpSettings());

        var observation = await WithoutRawSockets.Run(() => Probes.RunAsync(monitor));

        Assert.Equal(ErrorKind.Internal, observation.Failure);
        Assert.Equal(Expected, observation.FailureMessage);
    }

    [Fact]
    public async Task A_traceroute_reports_that_it_is_not_permitted()
    {
        var trace = await WithoutRawSockets.Run(() =>
            new Traceroute(TimeProvider.System).TraceAsync(IPAddress.Loopback, new TracerouteOptions(), CancellationToken.None));

        Assert.Equal(TraceOutcome.NotPermitted, trace.Outcome);
        Assert.Equal(Expected, trace.Message);
        Assert.Empty(trace.Hops);
    }
}
