using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

/// <summary>
/// Loss made by nftables in the target. Every tenth echo request is dropped (`numgen inc`, a counter), rather than
/// one in ten at random, so that ten requests lose exactly one and the outcome is the same on every run.
/// </summary>
[Collection(NetworkNamespaceCollection.Name)]
public sealed class NamespacePacketLossTests
{
    private const string EveryTenthEchoRequest = "icmp type echo-request numgen inc mod 10 == 0 drop";

    [Fact]
    public async Task An_icmp_monitor_goes_from_up_to_degraded_when_ten_percent_of_its_requests_are_lost()
    {
        await using var target = await NetworkNamespace.CreateAsync();
        var monitor = Probes.Monitor(
            "icmp",
            target.Address.ToString(),
            TenRequests,
            conditions: ["packet_loss < 20%", "rtt_avg < 50ms"],
            degradedWhen: ["packet_loss >= 5%"]);

        var before = await Probes.RunAsync(monitor);
        await target.AddInputRuleAsync(EveryTenthEchoRequest);
        var after = await Probes.RunAsync(monitor);

        Assert.Equal(0.0, before.Facts["packet_loss"]);
        Assert.Equal(Outcome.Up, Probes.Judge(monitor, before).Outcome);
        Assert.Null(after.Failure);
        Assert.Equal(10.0, after.Facts["packet_loss"]);
        var result = Probes.Judge(monitor, after);
        Assert.Equal(Outcome.Degraded, result.Outcome);
        Assert.Equal("packet_loss (10) >= 5%", result.Message);
    }

    [Fact]
    public async Task An_icmp_monitor_that_allows_less_loss_is_down()
    {
        await using var target = await NetworkNamespace.CreateAsync();
        await target.AddInputRuleAsync(EveryTenthEchoRequest);
        var monitor = Probes.Monitor("icmp", target.Address.ToString(), TenRequests, conditions: ["packet_loss < 5%"]);

        var result = Probes.Judge(monitor, await Probes.RunAsync(monitor));

        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal(ErrorKind.Assertion, result.ErrorKind);
        Assert.Equal("packet_loss (10) < 5%", result.Message);
    }

    private static IcmpSettings TenRequests => new()
    {
        Count = 10,
        Spacing = TimeSpan.FromMilliseconds(20),
        Wait = TimeSpan.FromMilliseconds(500),
    };
}
