using Candor.Monitoring;
using Candor.Monitoring.State;

namespace Candor.Tests.Monitoring;

public class LocationStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static CheckResult Result(Outcome outcome, int second) =>
        new(Guid.NewGuid(), "web", "local", T0.AddSeconds(second), TimeSpan.FromMilliseconds(5), outcome,
            outcome == Outcome.Down ? ErrorKind.Connect : null, null, PhaseTimings.None);

    private static LocationState Run(int confirmAfter, params Outcome[] outcomes)
    {
        var state = LocationStateMachine.Initial("web", "local", T0);
        for (var i = 0; i < outcomes.Length; i++)
        {
            state = LocationStateMachine.Next(state, Result(outcomes[i], i * 30), confirmAfter);
        }

        return state;
    }

    [Fact]
    public void It_turns_down_only_after_confirm_after_failures_in_a_row()
    {
        var once = Run(2, Outcome.Up, Outcome.Down);
        Assert.Equal(MonitorStatus.Up, once.Status);
        Assert.Equal(1, once.ConsecutiveFailures);

        var twice = Run(2, Outcome.Up, Outcome.Down, Outcome.Down);
        Assert.Equal(MonitorStatus.Down, twice.Status);
        Assert.Equal(T0.AddSeconds(60), twice.StatusSince);
    }

    [Fact]
    public void It_keeps_the_first_failure_as_the_start_of_the_failing_run()
    {
        var state = Run(2, Outcome.Up, Outcome.Down, Outcome.Down, Outcome.Down);
        Assert.Equal(T0.AddSeconds(30), state.FailingSince);
        Assert.Equal(3, state.ConsecutiveFailures);
    }

    [Fact]
    public void A_single_failure_between_successes_never_turns_it_down()
    {
        var state = Run(2, Outcome.Up, Outcome.Down, Outcome.Up, Outcome.Down, Outcome.Up);
        Assert.Equal(MonitorStatus.Up, state.Status);
        Assert.Equal(T0, state.StatusSince);
        Assert.Null(state.FailingSince);
    }

    [Fact]
    public void It_recovers_on_the_first_good_result()
    {
        var state = Run(2, Outcome.Down, Outcome.Down, Outcome.Up);
        Assert.Equal(MonitorStatus.Up, state.Status);
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Equal(T0.AddSeconds(60), state.StatusSince);
    }

    [Fact]
    public void A_degraded_result_degrades_at_once_and_is_not_a_failure()
    {
        var state = Run(2, Outcome.Down, Outcome.Degraded);
        Assert.Equal(MonitorStatus.Degraded, state.Status);
        Assert.Equal(0, state.ConsecutiveFailures);
    }

    [Fact]
    public void With_confirm_after_one_the_first_failure_is_down()
    {
        Assert.Equal(MonitorStatus.Down, Run(1, Outcome.Down).Status);
    }

    [Fact]
    public void It_remembers_the_last_result()
    {
        var state = Run(2, Outcome.Up, Outcome.Down);
        Assert.Equal(T0.AddSeconds(30), state.LastCheckedAt);
        Assert.Equal(Outcome.Down, state.LastResult!.Outcome);
    }
}
