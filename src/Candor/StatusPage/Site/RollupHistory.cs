using System.Runtime.InteropServices;
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
/// uptime bar's 90 days, so that the page is rebuilt without reading months of rollups each time. Both are the
/// stored rollups of their size, locations summed: a start reads a day of five minutes and 90 days of hours, not 90
/// days of minutes. Each refresh reads, of every monitor at once, only what is newer than the last refresh, or newer
/// than the earliest start among the results the rollups have come to count since, each size from the start of its
/// bucket: late results (an agent's batch after a partition) land in their five minutes and hour however late, and
/// every bucket touched is read again whole. One builder refreshes it and sums its days at a time; a page may read a
/// monitor's series at any time. A refresh reads from the store before it changes any bucket, and changes them all at
/// once: a page waits for that, never for the store.
/// </summary>
public sealed class RollupHistory(ICandorStore store, IEnumerable<string> monitorIds) : IDisposable
{
    private static readonly TimeSpan FineSize = ChartRange.Day.BucketSize();
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Kept = TimeSpan.FromDays(UptimeBar.Days + 1);
    private const int MinutesPerHour = 60;

    /// <summary>Only the configured monitors: the rollups of one dropped from the config are not read into memory.</summary>
    private readonly Dictionary<string, MonitorBuckets> _monitors =
        monitorIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => new MonitorBuckets(), StringComparer.Ordinal);

    /// <summary>Held by a refresh from its start to its end: one at a time.</summary>
    private readonly SemaphoreSlim _refreshing = new(1, 1);

    /// <summary>Held while a refresh changes the buckets, and by a read of a series.</summary>
    private readonly Lock _changing = new();

    private DateTimeOffset? _readUntil;

    /// <summary>How far the rollups counted the stored results when the last refresh read them.</summary>
    private long? _counted;

    /// <summary>The zone and the dates that each monitor's <see cref="MonitorBuckets.Days"/> were summed for.</summary>
    private (TimeZoneInfo Zone, DateOnly FirstDate, int DateCount)? _daysSummed;

    /// <summary>The start of the first hour that a refresh has read again since the days were summed.</summary>
    private DateTimeOffset _hoursReadAgainFrom = DateTimeOffset.MaxValue;

    public void Dispose() => _refreshing.Dispose();

    public async Task RefreshAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            await ReadAsync(now, cancellationToken);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A bucket changes only as the rollups count more results. Those of a monitor that checks from here arrive within
        // its timeout; an agent's may come hours late, and a refresh reads from the earliest of them. With 100,000
        // monitors, the last hour read again at every refresh was 1.2 million rows of five minutes.
        var progress = await store.GetRollupProgressAsync(_counted, cancellationToken);
        var since = ReadFrom(now, progress.EarliestSince);
        var from = Floor(since, Hour);

        // Five minutes are read again from their own edge, not the hour's: most refreshes need one or two of each
        // monitor, not the twelve of an hour.
        var fineFrom = Floor(since, FineSize);
        var dayFrom = Floor(now - ChartRange.Day.Span(), Hour);
        fineFrom = fineFrom > dayFrom ? fineFrom : dayFrom;

        // A store under load may take seconds to answer, and a page rendered meanwhile reads the buckets as they were.
        try
        {
            await foreach (var fine in store.ReadFiveMinuteRollupsAsync(fineFrom, now.AddMinutes(1), cancellationToken))
            {
                if (_monitors.TryGetValue(fine.MonitorId, out var buckets))
                {
                    buckets.ReadAgain.Fine.Add(fine);
                }
            }

            await foreach (var hour in store.ReadHourlyRollupsAsync(from, now.AddMinutes(1), cancellationToken))
            {
                if (_monitors.TryGetValue(hour.MonitorId, out var buckets))
                {
                    buckets.ReadAgain.Hourly.Add(hour);
                }
            }
        }
        catch
        {
            // The next refresh reads all of it again.
            foreach (var buckets in _monitors.Values)
            {
                buckets.ForgetReadAgain();
            }

            throw;
        }

        lock (_changing)
        {
            foreach (var buckets in _monitors.Values)
            {
                buckets.Clear(fineFrom, from, now);
                buckets.TakeReadAgain();
                buckets.Trim(now);
            }

            _hoursReadAgainFrom = from < _hoursReadAgainFrom ? from : _hoursReadAgainFrom;
            _readUntil = now;
            _counted = progress.Counted;
        }
    }

    /// <summary>
    /// Everything kept, at the first refresh; after it, from the last refresh on, or from the earliest start among the
    /// results counted since when that is earlier, but never from before what is kept.
    /// </summary>
    private DateTimeOffset ReadFrom(DateTimeOffset now, DateTimeOffset? earliestCounted)
    {
        var kept = now - Kept;
        if (_readUntil is not { } until)
        {
            return kept;
        }

        var since = earliestCounted is { } earliest && earliest < until ? earliest : until;
        return since > kept ? since : kept;
    }

    /// <summary>
    /// The buckets of one range up to <paramref name="now"/>, oldest first; a bucket without checks is left out. Read
    /// when a page that draws it is rendered, which may be after a later refresh: what that refresh read past
    /// <paramref name="now"/> is left out too, and the five minutes it let age out at the far end are gone.
    /// </summary>
    public IReadOnlyList<LatencyBucket> Series(string monitorId, ChartRange range, DateTimeOffset now)
    {
        if (!_monitors.TryGetValue(monitorId, out var buckets))
        {
            return [];
        }

        var from = now - range.Span();
        lock (_changing)
        {
            return range switch
            {
                ChartRange.Day => Merge(buckets.Fine.Between(Floor(from, FineSize), now), FineSize),
                ChartRange.Week => Merge(buckets.Hourly.Between(Floor(from, Hour), now), Hour),
                _ => Merge(buckets.Hourly.Between(Floor(from, range.BucketSize()), now), range.BucketSize()),
            };
        }
    }

    /// <summary>
    /// Checks per local date of each group's monitors, by group key. An hour is counted on the date it starts on. Each
    /// monitor's dates are kept summed from one call to the next: a call sums again only the dates of the hours read
    /// again since, and the first date, whose hours age out; all of them when the zone or the dates change, about
    /// once a day. Walking a thousand monitors' ninety days of hours took 13-19 ms of every build.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>> DailyChecks(
        ILookup<string, string> monitorIds, TimeZoneInfo zone)
    {
        var groups = new Dictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>>(StringComparer.Ordinal);
        if (_readUntil is not { } until)
        {
            foreach (var group in monitorIds)
            {
                groups[group.Key] = new Dictionary<DateOnly, CheckCount>();
            }

            return groups;
        }

        // A refresh reads up to a minute past its time, so an hour may start just after it.
        var hours = new HourDates(Floor(until - Kept, Hour), Floor(until, Hour) + Hour, zone);
        SumDays(hours, zone);
        var sums = new CheckCount[hours.DateCount];
        foreach (var group in monitorIds)
        {
            Array.Clear(sums);
            foreach (var id in group)
            {
                if (!_monitors.TryGetValue(id, out var buckets))
                {
                    continue;
                }

                for (var i = 0; i < sums.Length; i++)
                {
                    sums[i] += buckets.Days[i];
                }
            }

            var days = new Dictionary<DateOnly, CheckCount>(sums.Length);
            for (var i = 0; i < sums.Length; i++)
            {
                if (sums[i].Checks > 0)
                {
                    days[hours.DateAt(i)] = sums[i];
                }
            }

            groups[group.Key] = days;
        }

        return groups;
    }

    public static DateTimeOffset Floor(DateTimeOffset at, TimeSpan size) =>
        new(at.UtcTicks - (at.UtcTicks % size.Ticks), TimeSpan.Zero);

    /// <summary>Brings every monitor's <see cref="MonitorBuckets.Days"/> up to date with its hours.</summary>
    private void SumDays(HourDates hours, TimeZoneInfo zone)
    {
        var summed = (zone, hours.FirstDate, hours.DateCount);
        var again = _daysSummed == summed
            ? hours.DateIndexOf(_hoursReadAgainFrom)
            : 0;
        var againFrom = hours.FirstHourOf(again);
        foreach (var buckets in _monitors.Values)
        {
            if (again == 0)
            {
                buckets.Days = new CheckCount[hours.DateCount];
            }
            else
            {
                SumDays(buckets, hours, 0, 1, hours.FirstHourOf(0));
            }

            SumDays(buckets, hours, again, hours.DateCount, againFrom);
        }

        _daysSummed = summed;
        _hoursReadAgainFrom = DateTimeOffset.MaxValue;
    }

    /// <summary>Sums a monitor's hours again into the dates from <paramref name="from"/> up to <paramref name="to"/>.</summary>
    /// <param name="fromHour">The start of the first hour on the date <paramref name="from"/>.</param>
    private static void SumDays(MonitorBuckets buckets, HourDates hours, int from, int to, DateTimeOffset fromHour)
    {
        if (from >= to)
        {
            return;
        }

        var days = buckets.Days;
        Array.Clear(days, from, to - from);
        foreach (var hour in buckets.Hourly.From(fromHour))
        {
            var date = hours.DateIndexOf(hour.Minute);
            if (date >= to)
            {
                break;
            }

            days[date] += new CheckCount(hour.Count, hour.Failures);
        }
    }

    /// <summary>Buckets in time order summed into ones of their own size or wider.</summary>
    private static List<LatencyBucket> Merge(ReadOnlySpan<KeptBucket> buckets, TimeSpan size)
    {
        var merged = new List<LatencyBucket>();
        foreach (var bucket in buckets)
        {
            var start = Floor(bucket.Start, size);
            if (merged.Count == 0 || merged[^1].Start != start)
            {
                merged.Add(new LatencyBucket(start, 0, 0, 0, 0));
            }

            merged[^1] = merged[^1].Add(bucket.Count, bucket.Failures, bucket.LatencySumMs, bucket.LatencyMaxMs);
        }

        return merged;
    }

    /// <summary>
    /// The local date of every hour from one to another, as an index into the dates they fall on: one conversion per
    /// hour for all monitors, and an array look-up per monitor's hour.
    /// </summary>
    private sealed class HourDates
    {
        private readonly int _firstMinute;
        private readonly int[] _dateIndex;
        private readonly DateOnly _firstDate;

        public HourDates(DateTimeOffset first, DateTimeOffset last, TimeZoneInfo zone)
        {
            _firstMinute = KeptBucket.MinuteOf(first);
            _dateIndex = new int[((last - first).Ticks / Hour.Ticks) + 1];
            _firstDate = DateOf(first, zone);
            for (var i = 0; i < _dateIndex.Length; i++)
            {
                _dateIndex[i] = DateOf(first.AddHours(i), zone).DayNumber - _firstDate.DayNumber;
            }

            DateCount = _dateIndex[^1] + 1;
        }

        public int DateCount { get; }

        public DateOnly FirstDate => _firstDate;

        /// <param name="minute">The hour's start, as <see cref="KeptBucket.Minute"/>.</param>
        public int DateIndexOf(int minute) => _dateIndex[(minute - _firstMinute) / MinutesPerHour];

        /// <summary>The date of the hour that holds <paramref name="at"/>; past the last hour, <see cref="DateCount"/>.</summary>
        public int DateIndexOf(DateTimeOffset at)
        {
            var hour = (at.ToUnixTimeSeconds() / 60 - _firstMinute) / MinutesPerHour;
            return hour < 0 ? 0 : hour >= _dateIndex.Length ? DateCount : _dateIndex[hour];
        }

        /// <summary>The start of the first hour on the date of index <paramref name="index"/>; past the last, the end of the last hour.</summary>
        public DateTimeOffset FirstHourOf(int index)
        {
            var hour = Array.FindIndex(_dateIndex, date => date >= index);
            hour = hour < 0 ? _dateIndex.Length : hour;
            return DateTimeOffset.FromUnixTimeSeconds(((long)_firstMinute + ((long)hour * MinutesPerHour)) * 60);
        }

        public DateOnly DateAt(int index) => _firstDate.AddDays(index);

        private static DateOnly DateOf(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
    }

    /// <summary>
    /// Buckets of one size in time order, in one array: a monitor's ninety days of hours are walked for every build
    /// of the pages, and a list of structs is a fraction of the memory and the time of a tree of them.
    /// </summary>
    /// <param name="most">How many buckets the series holds at most: it grows by doubling up to that and no further,
    /// rather than to the next power of two, nearly twice the ninety days of hours for every monitor.</param>
    private sealed class BucketSeries(int most)
    {
        private List<KeptBucket> _buckets = [];

        public int Most => most;

        public ReadOnlySpan<KeptBucket> Span => CollectionsMarshal.AsSpan(_buckets);

        /// <summary>The buckets from <paramref name="from"/> on, to be read again.</summary>
        public void DropFrom(DateTimeOffset from)
        {
            var index = IndexOf(from);
            _buckets.RemoveRange(index, _buckets.Count - index);
        }

        /// <summary>The buckets before <paramref name="cutoff"/>, too old to be shown.</summary>
        public void DropBefore(DateTimeOffset cutoff) => _buckets.RemoveRange(0, IndexOf(cutoff));

        /// <summary>
        /// A stored span is the whole of its bucket: the spans from the refresh's start were dropped before, and the
        /// store gives them in time order.
        /// </summary>
        public void Add(RollupSpan span)
        {
            MakeRoom(1);
            _buckets.Add(new KeptBucket(
                KeptBucket.MinuteOf(span.Start), span.Count, span.Failures, (float)span.LatencySumMs, (float)span.LatencyMaxMs));
        }

        /// <summary>
        /// Adds the buckets read again after this series' last. A first refresh reads ninety days of every monitor's
        /// hours, which are taken over rather than copied.
        /// </summary>
        public void Append(BucketSeries later)
        {
            if (_buckets.Count == 0)
            {
                (_buckets, later._buckets) = (later._buckets, []);
                return;
            }

            MakeRoom(later._buckets.Count);
            _buckets.AddRange(later._buckets);
        }

        public ReadOnlySpan<KeptBucket> From(DateTimeOffset from) => Span[IndexOf(from)..];

        /// <summary>The buckets that start from <paramref name="from"/> up to and including <paramref name="until"/>.</summary>
        public ReadOnlySpan<KeptBucket> Between(DateTimeOffset from, DateTimeOffset until) =>
            Span[IndexOf(from)..IndexOf(until.AddTicks(1))];

        private void MakeRoom(int more)
        {
            if (_buckets.Count + more > _buckets.Capacity)
            {
                _buckets.Capacity = Math.Max(_buckets.Count + more, Math.Min(Math.Max(4, _buckets.Count * 2), most));
            }
        }

        /// <summary>The first bucket that starts at or after <paramref name="at"/>.</summary>
        private int IndexOf(DateTimeOffset at)
        {
            var span = Span;
            int low = 0, high = span.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (span[middle].Start < at)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }

    /// <summary>
    /// A bucket as it is kept, in half the bytes of a <see cref="LatencyBucket"/>: a thousand monitors keep two
    /// million of them and every build of the pages walks their hours, a hundred thousand monitors' 90 days take
    /// 4.3 GB instead of 8.6. Buckets start on whole minutes, and a float sums an hour's response times to within a
    /// millionth of their average.
    /// </summary>
    private readonly record struct KeptBucket(int Minute, int Count, int Failures, float LatencySumMs, float LatencyMaxMs)
    {
        public DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(Minute * 60L);

        /// <summary>Minutes since 1970, which an int holds until the year 6053.</summary>
        public static int MinuteOf(DateTimeOffset at) => checked((int)(at.ToUnixTimeSeconds() / 60));
    }

    /// <summary>
    /// A refresh drops the buckets from the edge of one of their own on and appends what it read again in time order,
    /// so each series only ever grows at its end.
    /// </summary>
    private sealed class MonitorBuckets
    {
        /// <summary>The last day, read from the start of the hour it begins in, and the buckets a refresh adds past it.</summary>
        public BucketSeries Fine { get; } = new((int)((ChartRange.Day.Span() + Hour + Hour + Hour) / FineSize));

        public BucketSeries Hourly { get; } = new((int)(Kept / Hour) + 2);

        /// <summary>What a refresh under way has read of this monitor so far; no page reads it.</summary>
        public (BucketSeries Fine, BucketSeries Hourly) ReadAgain => _readAgain ??= (new(Fine.Most), new(Hourly.Most));

        private (BucketSeries Fine, BucketSeries Hourly)? _readAgain;

        /// <summary>The hours summed by local date, as <see cref="DailyChecks"/> last did.</summary>
        public CheckCount[] Days { get; set; } = [];

        /// <summary>
        /// Drops every bucket from where it is read again on, and what is too old: hours from the start of the hour,
        /// as a first refresh reads them, so that the dates summed from them are those a restart would show.
        /// </summary>
        public void Clear(DateTimeOffset fineFrom, DateTimeOffset hourlyFrom, DateTimeOffset now)
        {
            Fine.DropFrom(fineFrom);
            Fine.DropBefore(Floor(now - ChartRange.Day.Span(), FineSize));
            Hourly.DropFrom(hourlyFrom);
            Hourly.DropBefore(Floor(now - Kept, Hour));
        }

        /// <summary>Adds what the refresh read, once <see cref="Clear"/> has dropped what it read again.</summary>
        public void TakeReadAgain()
        {
            if (_readAgain is var (fine, hourly))
            {
                Fine.Append(fine);
                Hourly.Append(hourly);
                _readAgain = null;
            }
        }

        public void ForgetReadAgain() => _readAgain = null;

        /// <summary>The read goes back to the start of an hour, further than the last day's fine buckets.</summary>
        public void Trim(DateTimeOffset now) => Fine.DropBefore(Floor(now - ChartRange.Day.Span(), FineSize));
    }
}
