using Candor.Incidents;
using Candor.Monitoring;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Monitoring;

/// <summary>
/// A location that stops reporting says nothing about the service: a component whose every vantage point falls silent
/// keeps the status they last agreed on, while results of other monitors keep arriving and across a restart, until a
/// location reports again.
/// </summary>
public sealed class SilentLocationTests : IAsyncLifetime
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 3, 17, 0, 0, TimeSpan.Zero));
    private IncidentSimulation _sim = null!;

    public async Task InitializeAsync() => _sim = await IncidentSimulation.StartAsync("""
        locations: [ { id: eu-west } ]
        components: [ { id: web, name: Website }, { id: mail, name: Mail } ]
        monitors:
          - { id: web-home, component: web, type: scripted, interval: 30s, timeout: 10s, locations: [local] }
          - { id: mail-smtp, component: mail, type: scripted, interval: 30s, timeout: 10s, locations: [eu-west] }
        incidents: { confirm_after: 1 }

        """, _clock);

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task A_component_whose_only_location_falls_silent_keeps_its_outage_until_the_location_reports_again()
    {
        await _sim.RunForAsync(Every, Every, Outcome.Down);
        var down = await ComponentAsync("mail");
        Assert.Equal(ComponentStatus.MajorOutage, down.Status);

        // eu-west goes dark; local goes on reporting every 30 s, so no batch is ever empty. Silent after two intervals
        // and a timeout, eu-west has no news, and the outage it last saw stands.
        await _sim.RunForAsync(TimeSpan.FromMinutes(3), Every, Outcome.Up, "eu-west");
        Assert.Equal(down, await ComponentAsync("mail"));
        Assert.Equal(ComponentStatus.Operational, (await ComponentAsync("web")).Status);
        Assert.Equal(IncidentStatus.Investigating, (await _sim.OnlyIncidentAsync()).Status);

        await _sim.RestartAsync();
        await _sim.RunForAsync(TimeSpan.FromMinutes(1), Every, Outcome.Up, "eu-west");
        Assert.Equal(down, await ComponentAsync("mail"));

        await _sim.RunForAsync(Every, Every, Outcome.Up);
        var back = await ComponentAsync("mail");
        Assert.Equal(ComponentStatus.Operational, back.Status);
        Assert.Equal(_clock.GetUtcNow(), back.Since);
    }

    private async Task<ComponentState> ComponentAsync(string component) =>
        Assert.Single(await _sim.Store.GetComponentStatesAsync(CancellationToken.None), c => c.ComponentId == component);
}
