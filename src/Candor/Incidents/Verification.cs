using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.State;

namespace Candor.Incidents;

/// <summary>What stands between an incident and its resolution; empty lists and no time left mean verified.</summary>
/// <param name="Left">Time still to run in the verification window.</param>
/// <param name="SilentLocations">`monitor @ location` pairs that are not reporting now.</param>
/// <param name="FailedMonitors">Monitors with a failed check inside the window.</param>
public sealed record VerificationVerdict(
    TimeSpan Left,
    IReadOnlyList<string> SilentLocations,
    IReadOnlyList<string> FailedMonitors,
    bool StillFailing)
{
    public bool Verified => !StillFailing && Left <= TimeSpan.Zero && SilentLocations.Count == 0 && FailedMonitors.Count == 0;

    /// <summary>The reasons a person reads when resolving is refused: "41 min left; us-east has not reported".</summary>
    public IReadOnlyList<string> Reasons()
    {
        var reasons = new List<string>();
        if (StillFailing)
        {
            reasons.Add("not every affected monitor is passing yet, so verification has not started");
        }
        else if (Left > TimeSpan.Zero)
        {
            reasons.Add($"{Math.Ceiling(Left.TotalMinutes):0} min left of the verification window");
        }

        reasons.AddRange(SilentLocations.Select(l => $"{l} has not reported"));
        reasons.AddRange(FailedMonitors.Select(m => $"{m} failed during the window"));
        return reasons;
    }
}

/// <summary>
/// The rule that never claims victory early: an incident is verified only when, for the whole window, every
/// affected monitor passed at every one of its locations and each location kept reporting. A location that
/// fell silent is missing evidence, not health.
/// </summary>
public static class Verification
{
    /// <param name="results">The affected monitors' results since <paramref name="since"/>, any order.</param>
    /// <remarks>
    /// The window counts from the latest moment since which every location has reported without a gap: a
    /// location that went silent and came back restarts the window, because the silent stretch is no evidence.
    /// </remarks>
    public static VerificationVerdict Judge(
        IReadOnlyList<MonitorConfig> monitors,
        IReadOnlyList<CheckResult> results,
        DateTimeOffset? since,
        TimeSpan verifyFor,
        DateTimeOffset now)
    {
        if (since is not { } start)
        {
            return new VerificationVerdict(verifyFor, [], [], StillFailing: true);
        }

        var silent = new List<string>();
        var failed = new List<string>();
        var windowStart = start;
        var byLocation = results
            .Where(r => r.StartedAt >= start)
            .ToLookup(r => (r.MonitorId, r.LocationId));
        foreach (var monitor in monitors)
        {
            if (byLocation.Where(g => g.Key.MonitorId == monitor.Id).SelectMany(g => g).Any(r => r.Outcome == Outcome.Down))
            {
                failed.Add(monitor.Id);
            }

            foreach (var location in monitor.Locations)
            {
                var (streakStart, silentNow) = Streak(byLocation[(monitor.Id, location)], start, now, StatusRules.SilenceAfter(monitor));
                if (silentNow)
                {
                    silent.Add($"{monitor.Id} @ {location}");
                }
                else if (streakStart > windowStart)
                {
                    windowStart = streakStart;
                }
            }
        }

        var left = windowStart + verifyFor - now;
        return new VerificationVerdict(left > TimeSpan.Zero ? left : TimeSpan.Zero, silent, failed, StillFailing: false);
    }

    /// <summary>Where the location's current unbroken run of reports began, and whether it is silent now.</summary>
    private static (DateTimeOffset StreakStart, bool SilentNow) Streak(
        IEnumerable<CheckResult> results, DateTimeOffset start, DateTimeOffset now, TimeSpan silence)
    {
        var streakStart = start;
        var previous = start;
        foreach (var at in results.Select(r => r.StartedAt).Order())
        {
            if (at - previous > silence)
            {
                streakStart = at;
            }

            previous = at;
        }

        return (streakStart, now - previous > silence);
    }
}
