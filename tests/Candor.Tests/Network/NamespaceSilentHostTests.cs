using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

[Collection(NetworkNamespaceCollection.Name)]
public sealed class NamespaceSilentHostTests
{
    private static readonly IcmpSettings ThreeRequests = new()
    {
        Count = 3,
        Spacing = TimeSpan.FromMilliseconds(20),
        Wait = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task A_host_that_drops_all_icmp_fails_the_icmp_check_as_a_timeout()
    {
        await using var target = await NetworkNamespace.CreateAsync();
        await target.AddInputRuleAsync("meta l4proto icmp drop");
        var monitor = Probes.Monitor("icmp", target.Address.ToString(), ThreeRequests);

        var observation = await Probes.RunAsync(monitor);
        var result = Probes.Judge(monitor, observation);

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal($"no reply to 3 echo requests to {target.Address}", observation.FailureMessage);
        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal(ErrorKind.Timeout, result.ErrorKind);
    }

    [Fact]
    public async Task A_host_that_rejects_echo_requests_fails_the_icmp_check_naming_who_rejected_them()
    {
        await using var target = await NetworkNamespace.CreateAsync();
        await target.AddInputRuleAsync("icmp type echo-request reject with icmp type host-unreachable");

        var observation = await Probes.RunAsync(Probes.Monitor("icmp", target.Address.ToString(), ThreeRequests));

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal(
            $"no reply to 3 echo requests to {target.Address}; {target.Address} reported it unreachable", observation.FailureMessage);
    }
}
