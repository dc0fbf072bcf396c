using System.Net;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Monitoring.Checks.Icmp;

namespace Candor.Tests.Network;

public sealed class IcmpLoopbackTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Every_echo_request_to_the_loopback_address_is_answered(string target)
    {
        var monitor = Probes.Monitor("icmp", target, new IcmpSettings { Count = 3, Spacing = TimeSpan.FromMilliseconds(20) });

        var observation = await Probes.RunAsync(monitor);

        Assert.Null(observation.Failure);
        Assert.Equal(0.0, observation.Facts["packet_loss"]);
        var min = Assert.IsType<TimeSpan>(observation.Facts["rtt_min"]);
        var average = Assert.IsType<TimeSpan>(observation.Facts["rtt_avg"]);
        var max = Assert.IsType<TimeSpan>(observation.Facts["rtt_max"]);
        Assert.True(min > TimeSpan.Zero && min <= average && average <= max, $"{min} {average} {max}");
        Assert.Equal(average, observation.Facts["response_time"]);
        Assert.Equal(average, observation.ResponseTime);
        Assert.Equal(Outcome.Up, Probes.Judge(monitor, observation).Outcome);
    }

    [Fact]
    public async Task A_host_name_is_resolved_before_the_echo_requests()
    {
        var observation = await Probes.RunAsync(Probes.Monitor("icmp", "localhost", new IcmpSettings { Count = 1 }));

        Assert.Null(observation.Failure);
        Assert.NotNull(observation.Timings.Dns);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_a_dns_failure()
    {
        var observation = await Probes.RunAsync(Probes.Monitor("icmp", "nosuch.invalid", new IcmpSettings()));

        Assert.Equal(ErrorKind.Dns, observation.Failure);
        Assert.StartsWith("DNS: ", observation.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echoes_in_flight_at_once_are_each_matched_to_their_own_reply()
    {
        await using var client = IcmpEchoClient.Open(System.Net.Sockets.AddressFamily.InterNetwork, TimeProvider.System);

        var echoes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            client.EchoAsync(IPAddress.Loopback, IcmpEchoClient.DefaultTtl, TimeSpan.FromSeconds(2), CancellationToken.None)));

        Assert.All(echoes, echo =>
        {
            Assert.Equal(EchoStatus.Reply, echo.Status);
            Assert.Equal(IPAddress.Loopback, echo.From);
            Assert.NotNull(echo.RoundTrip);
        });
    }

    [Fact]
    public async Task The_traceroute_to_the_loopback_address_is_one_hop()
    {
        var trace = await new Traceroute(TimeProvider.System).TraceAsync(IPAddress.Loopback, new TracerouteOptions(), CancellationToken.None);

        Assert.Equal(TraceOutcome.Reached, trace.Outcome);
        var hop = Assert.Single(trace.Hops);
        Assert.Equal(1, hop.Ttl);
        Assert.Equal(IPAddress.Loopback, hop.Address);
        Assert.NotNull(hop.RoundTrip);
    }
}
