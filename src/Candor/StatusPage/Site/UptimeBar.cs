using Candor.Monitoring;

namespace Candor.StatusPage.Site;

/// <summary>The worst a component was during a day, in rising order of severity; a bar is coloured by it.</summary>
public enum DayHealth
{
    /// <summary>The component did not exist yet, or the day has not begun.</summary>
    NoData,
    Operational,
    Maintenance,
    Degraded,
    PartialOutage,
    MajorOutage,
}

/// <summary>An incident as the bars need it: what it is called and when customers were affected.</summary>
/// <param name="End">Null while it goes on.</param>
public sealed record IncidentSpan(string Id, string Name, DateTimeOffset Start, DateTimeOffset? End);

/// <summary>Checks run by a component's monitors (every location) and how many of them failed.</summary>
public readonly record struct CheckCount(int Checks, int Failures)
{
    public static CheckCount operator +(CheckCount a, CheckCount b) => new(a.Checks + b.Checks, a.Failures + b.Failures);
}

/// <summary>One day of one component's bar.</summary>
/// <param name="Measured">The part of the day the component existed and that has passed.</param>
/// <param name="Down">The part of <paramref name="Measured"/> spent in a partial or major outage.</param>
public sealed record UptimeDay(
    DateOnly Date, DayHealth Worst, TimeSpan Measured, TimeSpan Down, CheckCount Checks, IReadOnlyList<IncidentSpan> Incidents)
{
    /// <summary>From 0 to 1; null for a day without data.</summary>
    public double? Uptime => Measured > TimeSpan.Zero ? 1 - (Down / Measured) : null;
}

/// <summary>
/// A component's uptime bar: one entry per calendar day of the page's time zone, from its status history.
/// Time in a partial outage counts as down time like a major outage, since some customers were failing;
/// degraded performance and maintenance count as up. Days are cut at local midnight, so a day of a change
/// to or from summer time has 23 or 25 hours.
/// </summary>
public static class UptimeBar
{
    public const int Days = 90;

    /// <param name="current">The status now, which held since the last change (or throughout, without one).</param>
    /// <param name="changes">The changes since <see cref="WindowStart"/>, oldest first.</param>
    /// <param name="incidents">The incidents that affected the component.</param>
    /// <param name="checks">Checks by local date, from the rollups.</param>
    public static IReadOnlyList<UptimeDay> Compute(
        TimeZoneInfo zone,
        DateTimeOffset now,
        DateTimeOffset createdAt,
        ComponentStatus current,
        IReadOnlyList<ComponentStatusChange> changes,
        IReadOnlyList<IncidentSpan> incidents,
        IReadOnlyDictionary<DateOnly, CheckCount> checks,
        int days = Days)
    {
        var windowStart = WindowStart(zone, now, days);
        var segments = new List<(DateTimeOffset From, ComponentStatus Status)>
        {
            (windowStart, changes.Count > 0 ? changes[0].From : current),
        };
        segments.AddRange(changes.Where(c => c.At >= windowStart && c.At <= now).Select(c => (c.At, c.To)));

        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(windowStart, zone).DateTime);
        var measuredFrom = createdAt > windowStart ? createdAt : windowStart;
        var bar = new List<UptimeDay>(days);
        for (var i = 0; i < days; i++)
        {
            var date = first.AddDays(i);
            var dayStart = LocalMidnight(date, zone);
            var dayEnd = LocalMidnight(date.AddDays(1), zone);
            var from = Max(dayStart, measuredFrom);
            var to = Min(dayEnd, now);
            var dayIncidents = incidents.Where(x => x.Start < dayEnd && (x.End ?? now) >= dayStart).ToList();
            var dayChecks = checks.GetValueOrDefault(date);
            if (from >= to)
            {
                bar.Add(new UptimeDay(date, DayHealth.NoData, TimeSpan.Zero, TimeSpan.Zero, dayChecks, dayIncidents));
                continue;
            }

            var worst = DayHealth.NoData;
            var down = TimeSpan.Zero;
            for (var s = 0; s < segments.Count; s++)
            {
                var segmentEnd = s + 1 < segments.Count ? segments[s + 1].From : now;
                var overlap = Min(segmentEnd, to) - Max(segments[s].From, from);
                if (overlap <= TimeSpan.Zero)
                {
                    continue;
                }

                var health = HealthOf(segments[s].Status);
                worst = health > worst ? health : worst;
                if (segments[s].Status is ComponentStatus.PartialOutage or ComponentStatus.MajorOutage)
                {
                    down += overlap;
                }
            }

            bar.Add(new UptimeDay(date, worst, to - from, down, dayChecks, dayIncidents));
        }

        return bar;
    }

    /// <summary>The uptime of the last <paramref name="days"/> days of a bar, weighted by measured time; null without data.</summary>
    public static double? Overall(IReadOnlyList<UptimeDay> bar, int days)
    {
        var recent = bar.Skip(Math.Max(0, bar.Count - days)).ToList();
        var measured = recent.Aggregate(TimeSpan.Zero, (sum, d) => sum + d.Measured);
        var down = recent.Aggregate(TimeSpan.Zero, (sum, d) => sum + d.Down);
        return measured > TimeSpan.Zero ? 1 - (down / measured) : null;
    }

    /// <summary>Local midnight at the start of the first day of a bar of <paramref name="days"/> days ending today.</summary>
    public static DateTimeOffset WindowStart(TimeZoneInfo zone, DateTimeOffset now, int days = Days)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return LocalMidnight(today.AddDays(1 - days), zone);
    }

    /// <summary>The instant a local date begins; where midnight falls in a summer-time gap, the day begins when the clocks resume.</summary>
    public static DateTimeOffset LocalMidnight(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public static DayHealth HealthOf(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => DayHealth.Operational,
        ComponentStatus.UnderMaintenance => DayHealth.Maintenance,
        ComponentStatus.DegradedPerformance => DayHealth.Degraded,
        ComponentStatus.PartialOutage => DayHealth.PartialOutage,
        _ => DayHealth.MajorOutage,
    };

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
