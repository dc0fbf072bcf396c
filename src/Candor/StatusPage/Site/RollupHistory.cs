using Candor.Storage;

namespace Candor.StatusPage.Site;

/// <summary>Checks of one monitor (every location) over one stretch of time, summed from rollup minutes.</summary>
public readonly record struct LatencyBucket(DateTimeOffset Start, int Count, int Failures, double LatencySumMs, double LatencyMaxMs)
{
    public double? AverageMs => Count > 0 ? LatencySumMs / Count : null;

    public LatencyBucket Add(int count, int failures, double latencySumMs, double latencyMaxMs) =>
        new(Start, Count + count, Failures + failures, LatencySumMs + latencySumMs, Math.Max(LatencyMaxMs, latencyMaxMs));
}

/// <summary>The three ranges of a response-time chart.</summary>
public enum ChartRange
{
    Day,
    Week,
    Month,
}

public static class ChartRanges
{
    public static TimeSpan Span(this ChartRange range) => range switch
    {
        ChartRange.Day => TimeSpan.FromHours(24),
        ChartRange.Week => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(30),
    };

    /// <summary>Wide enough that a line of a few hundred points shows the shape without noise.</summary>
    public static TimeSpan BucketSize(this ChartRange range) => range switch
    {
        ChartRange.Day => TimeSpan.FromMinutes(5),
        ChartRange.Week => TimeSpan.FromHours(1),
        _ => TimeSpan.FromHours(6),
    };

    /// <summary>The part of an element id and of a link that names the range.</summary>
    public static string Slug(this ChartRange range) => range switch
    {
        ChartRange.Day => "24h",
        ChartRange.Week => "7d",
        _ => "30d",
    };

    public static string Words(this ChartRange range) => range switch
    {
        ChartRange.Day => "24 hours",
        ChartRange.Week => "7 days",
        _ => "30 days",
    };
}

/// <summary>
/// Rollups of every monitor kept in memory as five-minute buckets for the last day and hourly ones for the
/// uptime bar's 90 days, so that the page is rebuilt without reading months of rollups each time. The five-minute
/// buckets are summed from the stored minutes, the hourly ones are the stored hours: a start reads a day of minutes
/// and 90 days of hours, not 90 days of minutes. Each refresh reads, of every monitor at once, only what is newer
/// than the last refresh, from the start of the hour an hour before it: late results (an agent's batch after a
/// partition) still land in their minute and hour, and every bucket touched is rebuilt whole. One builder
/// refreshes and reads it at a time.
/// </summary>
public sealed class RollupHistory(ICandorStore store, IEnumerable<string> monitorIds)
{
    private static readonly TimeSpan Lateness = TimeSpan.FromHours(1);
    private static readonly TimeSpan FineSize = ChartRange.Day.BucketSize();
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Kept = TimeSpan.FromDays(UptimeBar.Days + 1);

    /// <summary>Only the configured monitors: the minutes of one dropped from the config are not read into memory.</summary>
    private readonly Dictionary<string, MonitorBuckets> _monitors =
        monitorIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => new MonitorBuckets(), StringComparer.Ordinal);

    private DateTimeOffset? _readUntil;

    public async Task RefreshAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = Floor(_readUntil is { } until ? until - Lateness : now - Kept, Hour);
        var fineFrom = Floor(now - ChartRange.Day.Span(), Hour);
        foreach (var buckets in _monitors.Values)
        {
            buckets.Clear(from, now);
        }

        await foreach (var minute in store.ReadRollupsAsync(from > fineFrom ? from : fineFrom, now.AddMinutes(1), cancellationToken))
        {
            if (_monitors.TryGetValue(minute.MonitorId, out var buckets))
            {
                buckets.Add(minute);
            }
        }

        await foreach (var hour in store.ReadHourlyRollupsAsync(from, now.AddMinutes(1), cancellationToken))
        {
            if (_monitors.TryGetValue(hour.MonitorId, out var buckets))
            {
                buckets.Add(hour);
            }
        }

        foreach (var buckets in _monitors.Values)
        {
            buckets.Trim(now);
        }

        _readUntil = now;
    }

    /// <summary>The buckets of one range, oldest first; a bucket without checks is left out.</summary>
    public IReadOnlyList<LatencyBucket> Series(string monitorId, ChartRange range, DateTimeOffset now)
    {
        if (!_monitors.TryGetValue(monitorId, out var buckets))
        {
            return [];
        }

        var from = now - range.Span();
        return range switch
        {
            ChartRange.Day => [.. buckets.Fine.Values.Where(b => b.Start >= Floor(from, FineSize))],
            ChartRange.Week => [.. buckets.Hourly.Values.Where(b => b.Start >= Floor(from, Hour))],
            _ => Merge(buckets.Hourly.Values.Where(b => b.Start >= Floor(from, range.BucketSize())), range.BucketSize()),
        };
    }

    /// <summary>
    /// Checks per local date of each group's monitors, by group key. An hour is counted on the date it starts on;
    /// every monitor has the same hours, so each hour's date is worked out once.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>> DailyChecks(
        ILookup<string, string> monitorIds, TimeZoneInfo zone)
    {
        var dates = new Dictionary<DateTimeOffset, DateOnly>();
        var groups = new Dictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>>(StringComparer.Ordinal);
        foreach (var group in monitorIds)
        {
            var days = new Dictionary<DateOnly, CheckCount>();
            foreach (var id in group)
            {
                if (!_monitors.TryGetValue(id, out var buckets))
                {
                    continue;
                }

                foreach (var hour in buckets.Hourly.Values)
                {
                    if (!dates.TryGetValue(hour.Start, out var date))
                    {
                        date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(hour.Start, zone).DateTime);
                        dates[hour.Start] = date;
                    }

                    days[date] = days.GetValueOrDefault(date) + new CheckCount(hour.Count, hour.Failures);
                }
            }

            groups[group.Key] = days;
        }

        return groups;
    }

    public static DateTimeOffset Floor(DateTimeOffset at, TimeSpan size) =>
        new(at.UtcTicks - (at.UtcTicks % size.Ticks), TimeSpan.Zero);

    private static List<LatencyBucket> Merge(IEnumerable<LatencyBucket> buckets, TimeSpan size) =>
        [.. buckets
            .GroupBy(b => Floor(b.Start, size))
            .Select(g => g.Aggregate(new LatencyBucket(g.Key, 0, 0, 0, 0), (sum, b) => sum.Add(b.Count, b.Failures, b.LatencySumMs, b.LatencyMaxMs)))
            .OrderBy(b => b.Start)];

    private sealed class MonitorBuckets
    {
        public SortedDictionary<DateTimeOffset, LatencyBucket> Fine { get; } = [];

        public SortedDictionary<DateTimeOffset, LatencyBucket> Hourly { get; } = [];

        /// <summary>Drops every bucket from <paramref name="from"/> (an hour boundary) on, to be read again, and what is too old.</summary>
        public void Clear(DateTimeOffset from, DateTimeOffset now)
        {
            Drop(Fine, b => b >= from || b < Floor(now - ChartRange.Day.Span(), FineSize));
            Drop(Hourly, b => b >= from || b < now - Kept);
        }

        public void Add(RollupMinute minute)
        {
            var start = Floor(minute.Minute, FineSize);
            var bucket = Fine.TryGetValue(start, out var existing) ? existing : new LatencyBucket(start, 0, 0, 0, 0);
            Fine[start] = bucket.Add(minute.Count, minute.Failures, minute.LatencySumMs, minute.LatencyMaxMs);
        }

        /// <summary>A stored hour is the whole of its bucket: the hours from the refresh's start were dropped before.</summary>
        public void Add(RollupHour hour) =>
            Hourly[hour.Hour] = new LatencyBucket(hour.Hour, hour.Count, hour.Failures, hour.LatencySumMs, hour.LatencyMaxMs);

        /// <summary>The read goes back to the start of an hour, further than the last day's fine buckets.</summary>
        public void Trim(DateTimeOffset now) => Drop(Fine, b => b < Floor(now - ChartRange.Day.Span(), FineSize));

        private static void Drop(SortedDictionary<DateTimeOffset, LatencyBucket> buckets, Func<DateTimeOffset, bool> which)
        {
            // Most monitors have nothing to drop at most refreshes: no list is made for them.
            List<DateTimeOffset>? gone = null;
            foreach (var start in buckets.Keys)
            {
                if (which(start))
                {
                    (gone ??= []).Add(start);
                }
            }

            foreach (var start in gone ?? [])
            {
                buckets.Remove(start);
            }
        }
    }
}
