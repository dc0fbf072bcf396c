using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.State;

namespace Candor.Tests.Monitoring;

public sealed class MonitorStateTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 17, 0, 0, TimeSpan.Zero);

    private readonly MonitorStateTracker _tracker = new(
        new CandorConfig
        {
            Components = [new ComponentConfig { Id = "web", Name = "Website" }],
            Monitors = [new MonitorConfig { Id = "web-home", Component = "web", Type = "http", Locations = ["local"] }],
        },
        [],
        [],
        T0);

    [Fact]
    public void Only_the_states_that_changed_in_substance_are_handed_over_to_be_stored()
    {
        Assert.Single(Apply(T0, Outcome.Up));
        Assert.Empty(Apply(T0.AddSeconds(30), Outcome.Up));
        Assert.Empty(Apply(T0.AddSeconds(60), Outcome.Up, Outcome.Up));

        var failing = Assert.Single(Apply(T0.AddSeconds(120), Outcome.Down));
        Assert.Equal((MonitorStatus.Up, 1), (failing.Status, failing.ConsecutiveFailures));
        Assert.Equal(0, Assert.Single(Apply(T0.AddSeconds(150), Outcome.Up)).ConsecutiveFailures);

        var flapped = Assert.Single(Apply(T0.AddSeconds(180), Outcome.Degraded, Outcome.Up));
        Assert.Equal((MonitorStatus.Up, T0.AddSeconds(210)), (flapped.Status, flapped.StatusSince));
    }

    [Fact]
    public void A_result_from_a_location_the_monitor_does_not_check_from_changes_nothing()
    {
        Assert.Single(Apply(T0, Outcome.Up));
        var stray = new CheckResult(
            Guid.CreateVersion7(T0), "web-home", "eu-west", T0.AddSeconds(30), TimeSpan.FromMilliseconds(40), Outcome.Down, null, null, PhaseTimings.None);

        var changes = _tracker.Apply([stray, stray with { Id = Guid.CreateVersion7(T0), StartedAt = T0.AddSeconds(60) }], T0.AddSeconds(60));

        Assert.True(changes.IsEmpty);
        Assert.Empty(changes.TurnedDown);
        var view = _tracker.Monitor("web-home", T0.AddSeconds(60))!;
        Assert.Equal(MonitorStatus.Up, view.Status);
        Assert.Equal(["local"], view.Locations.Select(l => l.State.LocationId));
    }

    /// <summary>One result per outcome, 30 s apart from <paramref name="at"/>, in one batch.</summary>
    private IReadOnlyList<LocationState> Apply(DateTimeOffset at, params Outcome[] outcomes) =>
        _tracker.Apply(
            [.. outcomes.Select((outcome, i) => new CheckResult(
                Guid.CreateVersion7(at), "web-home", "local", at.AddSeconds(30 * i), TimeSpan.FromMilliseconds(40), outcome, null, null, PhaseTimings.None))],
            at).Locations;
}
