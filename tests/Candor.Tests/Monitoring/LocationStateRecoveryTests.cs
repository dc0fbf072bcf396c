using Candor.Monitoring;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Monitoring;

/// <summary>
/// A location's state is stored only when it changes in substance; what every check changes, the last check and its
/// result, comes back from the stored results when the server restarts.
/// </summary>
public sealed class LocationStateRecoveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 3, 17, 0, 0, TimeSpan.Zero));
    private IncidentSimulation _sim = null!;

    public async Task InitializeAsync() => _sim = await IncidentSimulation.StartAsync("""
        locations: [ { id: eu-west } ]
        components: [ { id: web, name: Website } ]
        monitors:
          - { id: web-home, component: web, type: scripted, interval: 30s, timeout: 10s, locations: [local, eu-west] }
        incidents: { confirm_after: 2 }

        """, _clock);

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task A_state_unchanged_for_many_results_comes_back_after_a_restart_with_the_latest_result()
    {
        await _sim.RunForAsync(Every, Every, Outcome.Up);
        var upSince = _clock.GetUtcNow();
        await _sim.RunForAsync(TimeSpan.FromMinutes(30), Every, Outcome.Up);
        var lastCheck = _clock.GetUtcNow();

        await _sim.RestartAsync();

        var states = await _sim.Store.GetLocationStatesAsync(CancellationToken.None);
        Assert.Equal(["eu-west", "local"], states.Select(state => state.LocationId));
        Assert.All(states, state =>
        {
            Assert.Equal((MonitorStatus.Up, upSince, 0, (DateTimeOffset?)null), (state.Status, state.StatusSince, state.ConsecutiveFailures, state.FailingSince));
            Assert.Equal(lastCheck, state.LastCheckedAt);
            Assert.Equal((state.LocationId, lastCheck), (state.LastResult?.LocationId, state.LastResult?.StartedAt));
        });
    }

    [Fact]
    public async Task A_failure_short_of_confirming_is_remembered_across_a_restart_and_the_next_one_confirms()
    {
        await _sim.RunForAsync(TimeSpan.FromMinutes(5), Every, Outcome.Up);
        _clock.Advance(Every);
        var failingSince = _clock.GetUtcNow();
        await _sim.ReportAsync(Outcome.Down);
        await _sim.RestartAsync();

        _clock.Advance(Every);
        await _sim.ReportAsync(Outcome.Down);

        var states = await _sim.Store.GetLocationStatesAsync(CancellationToken.None);
        Assert.All(states, state =>
        {
            Assert.Equal((MonitorStatus.Down, 2, (DateTimeOffset?)failingSince), (state.Status, state.ConsecutiveFailures, state.FailingSince));
            Assert.Equal(_clock.GetUtcNow(), state.LastCheckedAt);
        });
    }
}
