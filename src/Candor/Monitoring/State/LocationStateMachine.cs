namespace Candor.Monitoring.State;

/// <summary>
/// How one location's view of a monitor moves with each result: down only after `confirm_after` failures in a
/// row (one failure may be a lost packet), back up or degraded on the first good result.
/// </summary>
public static class LocationStateMachine
{
    public static LocationState Initial(string monitorId, string locationId, DateTimeOffset now) =>
        new(monitorId, locationId, MonitorStatus.Unknown, now, 0, null, null, null);

    /// <summary>
    /// Whether two states differ in what the next results build on: status, since when, the run of failures. The
    /// last check and last result change with every result and are read back from the stored results instead, so a
    /// state that differs only in those need not be written again.
    /// </summary>
    public static bool Differs(LocationState before, LocationState after) =>
        before.Status != after.Status
        || before.StatusSince != after.StatusSince
        || before.ConsecutiveFailures != after.ConsecutiveFailures
        || before.FailingSince != after.FailingSince;

    public static LocationState Next(LocationState state, CheckResult result, int confirmAfter)
    {
        var at = result.StartedAt;
        if (result.Outcome == Outcome.Down)
        {
            var failures = state.ConsecutiveFailures + 1;
            var status = failures >= confirmAfter ? MonitorStatus.Down : state.Status;
            return state with
            {
                Status = status,
                StatusSince = status == state.Status ? state.StatusSince : at,
                ConsecutiveFailures = failures,
                FailingSince = state.FailingSince ?? at,
                LastCheckedAt = at,
                LastResult = result,
            };
        }

        var next = result.Outcome == Outcome.Degraded ? MonitorStatus.Degraded : MonitorStatus.Up;
        return state with
        {
            Status = next,
            StatusSince = next == state.Status ? state.StatusSince : at,
            ConsecutiveFailures = 0,
            FailingSince = null,
            LastCheckedAt = at,
            LastResult = result,
        };
    }
}
