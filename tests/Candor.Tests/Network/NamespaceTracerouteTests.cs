using Candor.Monitoring.Checks.Icmp;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

[Collection(NetworkNamespaceCollection.Name)]
public sealed class NamespaceTracerouteTests
{
    private static readonly TracerouteOptions Quick = new() { MaxHops = 5, Wait = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task A_directly_connected_host_is_the_one_hop()
    {
        await using var target = await NetworkNamespace.CreateAsync();

        var trace = await TraceAsync(target);

        Assert.Equal(TraceOutcome.Reached, trace.Outcome);
        var hop = Assert.Single(trace.Hops);
        Assert.Equal(target.Address, hop.Address);
        Assert.NotNull(hop.RoundTrip);
    }

    [Fact]
    public async Task A_host_behind_a_router_is_two_hops_with_the_router_first()
    {
        await using var target = await NetworkNamespace.CreateAsync(behindRouter: true);

        var trace = await TraceAsync(target);

        Assert.Equal(TraceOutcome.Reached, trace.Outcome);
        Assert.Equal([target.RouterAddress, target.Address], trace.Hops.Select(h => h.Address));
        Assert.Equal([1, 2], trace.Hops.Select(h => h.Ttl));
        Assert.All(trace.Hops, hop => Assert.NotNull(hop.RoundTrip));
    }

    [Fact]
    public async Task A_silent_host_behind_a_router_shows_the_router_and_then_stars_up_to_the_limit()
    {
        await using var target = await NetworkNamespace.CreateAsync(behindRouter: true);
        await target.AddInputRuleAsync("meta l4proto icmp drop");

        var trace = await TraceAsync(target, Quick with { MaxHops = 3 });

        Assert.Equal(TraceOutcome.HopLimit, trace.Outcome);
        Assert.Equal([target.RouterAddress, null, null], trace.Hops.Select(h => h.Address));
        Assert.Equal(" 2  *", trace.Hops[1].ToString());
        Assert.StartsWith($" 1  {target.RouterAddress}  ", trace.Hops[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_rejects_echo_requests_ends_the_trace_as_unreachable()
    {
        await using var target = await NetworkNamespace.CreateAsync(behindRouter: true);
        await target.AddInputRuleAsync("icmp type echo-request reject with icmp type host-unreachable");

        var trace = await TraceAsync(target);

        Assert.Equal(TraceOutcome.Unreachable, trace.Outcome);
        Assert.Equal([target.RouterAddress, target.Address], trace.Hops.Select(h => h.Address));
    }

    private static Task<TraceResult> TraceAsync(NetworkNamespace target, TracerouteOptions? options = null) =>
        new Traceroute(TimeProvider.System).TraceAsync(target.Address, options ?? Quick, CancellationToken.None);
}
