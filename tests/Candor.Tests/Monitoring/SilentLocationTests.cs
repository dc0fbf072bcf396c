using Candor.Monitoring;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Monitoring;

/// <summary>
/// A location that stops reporting changes its monitor's status with no result to say so: the statuses are taken
/// again every few seconds, and results of other monitors arriving all the while must not put that off.
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
    public async Task A_component_whose_only_location_falls_silent_is_derived_again_while_other_results_keep_arriving()
    {
        await _sim.RunForAsync(Every, Every, Outcome.Down);
        Assert.Equal(ComponentStatus.MajorOutage, (await ComponentAsync("mail")).Status);

        // eu-west goes dark; local goes on reporting every 30 s, so no batch is ever empty.
        var dark = _clock.GetUtcNow();
        await _sim.RunForAsync(TimeSpan.FromMinutes(3), Every, Outcome.Up, "eu-west");

        // Silent after two intervals and a timeout; the mail component has no monitor with a verdict left.
        var mail = await ComponentAsync("mail");
        Assert.Equal(ComponentStatus.Operational, mail.Status);
        Assert.InRange(mail.Since - dark, TimeSpan.FromSeconds(70), TimeSpan.FromSeconds(70) + Every);
    }

    private async Task<ComponentState> ComponentAsync(string component) =>
        Assert.Single(await _sim.Store.GetComponentStatesAsync(CancellationToken.None), c => c.ComponentId == component);
}
