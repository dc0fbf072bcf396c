using System.Globalization;
using Candor.Configuration;
using Candor.Storage;

namespace Candor.Monitoring.Checks;

/// <summary>
/// Whether a heartbeat job is on time, given its latest pings. A job is down when its last finished run
/// reported failure, when a run it started has not succeeded within the grace, or when no success has
/// arrived within every + grace of the last one (of the monitor's first sighting, when there was none).
/// A heartbeat that an smtp monitor sends probes to is also down when the probe whose deadline passed last
/// was not reported by then: the mail pipeline lost or delayed it.
/// </summary>
public static class HeartbeatRule
{
    /// <param name="dueProbe">The probe whose deadline passed last, if any probe was sent to this heartbeat.</param>
    public static Observation Evaluate(
        HeartbeatSettings settings, LatestPings pings, DateTimeOffset firstSeenAt, DateTimeOffset now, MailProbe? dueProbe = null)
    {
        if (pings.Fail is { } failed && IsNewerThanSuccess(failed, pings))
        {
            return Down($"the job reported failure at {Time(failed, now)}");
        }

        if (dueProbe is { } probe && (probe.DeliveredAt is null || probe.DeliveredAt > probe.DueAt))
        {
            var sent = $"probe {probe.Token} sent at {Time(probe.SentAt, now)}";
            var deadline = Duration.Format(probe.Deadline);
            return Down(probe.DeliveredAt is { } late
                ? $"{sent} was delivered only at {Time(late, now)}, later than its deadline of {deadline}"
                : $"{sent} was not delivered within {deadline}");
        }

        // A run in progress has until start + grace, even past its usual deadline: it began, it is not missing.
        if (pings.Start is { } started && IsNewerThanSuccess(started, pings))
        {
            if (now > started + settings.Grace)
            {
                return Down(
                    $"the job started at {Time(started, now)} and did not report success within {Duration.Format(settings.Grace)}");
            }
        }
        else if (pings.Success is { } succeeded)
        {
            if (now > succeeded + settings.Every + settings.Grace)
            {
                return Down($"no ping since {Time(succeeded, now)}; it was due by {Time(succeeded + settings.Every, now)}");
            }
        }
        else if (now > firstSeenAt + settings.Every + settings.Grace)
        {
            return Down($"no ping received since the monitor was added at {Time(firstSeenAt, now)}");
        }

        var facts = new Dictionary<string, object>(StringComparer.Ordinal) { ["response_time"] = TimeSpan.Zero };
        if (pings.Success is { } last)
        {
            facts["last_ping_age"] = now - last;
        }

        return new Observation { Facts = facts };
    }

    private static bool IsNewerThanSuccess(DateTimeOffset at, LatestPings pings) => pings.Success is not { } success || at > success;

    private static Observation Down(string message) => Observation.Failed(ErrorKind.Heartbeat, message, TimeSpan.Zero);

    /// <summary>The time alone when it is today (UTC), as operators read it; with the date otherwise.</summary>
    private static string Time(DateTimeOffset at, DateTimeOffset now)
    {
        var utc = at.ToUniversalTime();
        var format = utc.Date == now.UtcDateTime.Date ? "HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }
}
