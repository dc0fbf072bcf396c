using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

/// <summary>The kernel here has no netem, so the latency comes from the target: a server that answers after a delay.</summary>
[Collection(NetworkNamespaceCollection.Name)]
public sealed class NamespaceHttpLatencyTests
{
    [Fact]
    public async Task An_http_monitor_is_up_degraded_or_down_as_its_conditions_say_of_a_slow_server()
    {
        await using var target = await NetworkNamespace.CreateAsync();
        await target.StartHttpServerAsync();
        var url = $"http://{target.Address}:{NetworkNamespace.HttpPort}/";
        string[] degradedWhen = ["response_time > 200ms"];
        var fast = Probes.Monitor("http", url, new HttpSettings(), ["status == 200"], degradedWhen);
        var slow = Probes.Monitor("http", url + "?delay=300", new HttpSettings(), ["status == 200"], degradedWhen);
        var tooSlow = Probes.Monitor("http", url + "?delay=300", new HttpSettings(), ["status == 200", "response_time < 250ms"], degradedWhen);

        var fastResult = Probes.Judge(fast, await Probes.RunAsync(fast));
        var slowObservation = await Probes.RunAsync(slow);
        var slowResult = Probes.Judge(slow, slowObservation);
        var tooSlowResult = Probes.Judge(tooSlow, await Probes.RunAsync(tooSlow));

        Assert.Equal(Outcome.Up, fastResult.Outcome);
        Assert.Equal("Welcome", slowObservation.Body);
        Assert.True((TimeSpan)slowObservation.Facts["response_time"] >= TimeSpan.FromMilliseconds(300));
        Assert.Equal(Outcome.Degraded, slowResult.Outcome);
        Assert.StartsWith("response_time (", slowResult.Message, StringComparison.Ordinal);
        Assert.EndsWith(") > 200ms", slowResult.Message, StringComparison.Ordinal);
        Assert.Equal(Outcome.Down, tooSlowResult.Outcome);
        Assert.Equal(ErrorKind.Assertion, tooSlowResult.ErrorKind);
        Assert.EndsWith(") < 250ms", tooSlowResult.Message, StringComparison.Ordinal);
    }
}
