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

    /// <summary>A monitor's status by its reporting locations: <see cref="MonitorStatus.Unknown"/> while none reports.</summary>
    public static MonitorStatus MonitorStatusOf(
        MonitorConfig monitor, ReadOnlySpan<LocationState> locations, Quorum quorum, DateTimeOffset now) =>
        Tally(monitor, locations, quorum, reportingAt: now);

    /// <summary>
    /// What a monitor counts as in its component: its status, or while every location is silent, what those that
    /// ever reported last said. Silence is no news: a component in an outage whose vantage points all go dark stays
    /// in it rather than turning operational (no false victory), and one that was fine stays fine (no false alarm).
    /// </summary>
    public static MonitorStatus VerdictOf(
        MonitorConfig monitor, ReadOnlySpan<LocationState> locations, Quorum quorum, DateTimeOffset now)
    {
        // Read twice only while no location reports: before the first checks, or when every one has gone silent.
        var status = MonitorStatusOf(monitor, locations, quorum, now);
        return status == MonitorStatus.Unknown ? Tally(monitor, locations, quorum, reportingAt: null) : status;
    }

    /// <param name="reportingAt">Counts the locations not silent at this time; when null, every one that ever reported.</param>
    private static MonitorStatus Tally(MonitorConfig monitor, ReadOnlySpan<LocationState> locations, Quorum quorum, DateTimeOffset? reportingAt)
    {
        var counted = 0;
        var down = 0;
        var degraded = 0;
        foreach (var state in locations)
        {
            var reporting = reportingAt is { } now ? !IsSilent(state, monitor, now) : state.LastCheckedAt is not null;
            if (!reporting || state.Status == MonitorStatus.Unknown)
            {
                continue;
            }

            counted++;
            if (state.Status == MonitorStatus.Down)
            {
                down++;
            }
            else if (state.Status == MonitorStatus.Degraded)
            {
                degraded++;
            }
        }

        if (counted == 0)
        {
            return MonitorStatus.Unknown;
        }

        if (quorum.IsMetBy(down, counted))
        {
            return MonitorStatus.Down;
        }

        return down > 0 || degraded > 0 ? MonitorStatus.Degraded : MonitorStatus.Up;
    }

    /// <summary>Monitors with no verdict yet (never checked) are left out; a component with none left is operational.</summary>
    public static ComponentStatus ComponentStatusOf(StatusTally monitors) => (monitors.Known, monitors.Down) switch
    {
        ( > 0, var down) when down == monitors.Known => ComponentStatus.MajorOutage,
        (_, > 0) => ComponentStatus.PartialOutage,
        _ when monitors.Degraded > 0 => ComponentStatus.DegradedPerformance,
        _ => ComponentStatus.Operational,
    };
}
