using Candor.Configuration;

namespace Candor.Monitoring.State;

/// <summary>How location views add up to a monitor's status, and monitors to a component's (DESIGN.md).</summary>
public static class StatusRules
{
    /// <summary>
    /// A location that has not reported for two intervals and a timeout is silent: it counts neither as failing
    /// (no false alarm) nor as healthy (no false victory).
    /// </summary>
    public static bool IsSilent(LocationState state, MonitorConfig monitor, DateTimeOffset now) =>
        state.LastCheckedAt is not { } last || now - last > SilenceAfter(monitor);

    public static TimeSpan SilenceAfter(MonitorConfig monitor) => (2 * monitor.Interval) + monitor.Timeout;

    public static MonitorStatus MonitorStatusOf(
        MonitorConfig monitor, IEnumerable<LocationState> locations, Quorum quorum, DateTimeOffset now)
    {
        var reporting = 0;
        var down = 0;
        var degraded = 0;
        foreach (var state in locations)
        {
            if (state.Status == MonitorStatus.Unknown || IsSilent(state, monitor, now))
            {
                continue;
            }

            reporting++;
            if (state.Status == MonitorStatus.Down)
            {
                down++;
            }
            else if (state.Status == MonitorStatus.Degraded)
            {
                degraded++;
            }
        }

        if (reporting == 0)
        {
            return MonitorStatus.Unknown;
        }

        if (quorum.IsMetBy(down, reporting))
        {
            return MonitorStatus.Down;
        }

        return down > 0 || degraded > 0 ? MonitorStatus.Degraded : MonitorStatus.Up;
    }

    /// <summary>Monitors with no verdict yet (unknown) are left out; a component with none left is operational.</summary>
    public static ComponentStatus ComponentStatusOf(StatusTally monitors) => (monitors.Known, monitors.Down) switch
    {
        ( > 0, var down) when down == monitors.Known => ComponentStatus.MajorOutage,
        (_, > 0) => ComponentStatus.PartialOutage,
        _ when monitors.Degraded > 0 => ComponentStatus.DegradedPerformance,
        _ => ComponentStatus.Operational,
    };
}
