using Candor.Storage;

namespace Candor.StatusPage.Site;

/// <summary>Checks of one monitor (every location) over one stretch of time, summed from rollups.</summary>
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
/// The response-time charts of some monitors up to one moment, read from the stored rollups when the page that draws
/// them is rendered: the last day from the five minutes, the week and the month from the hours. Only a component's
/// page draws them, for its own monitors, and keeping every monitor's month in memory for pages few visitors open
/// cost about 50 KB a monitor, 5 GB for 100,000.
/// </summary>
public sealed class MonitorCharts
{
    /// <summary>The charts of a page whose rollups the store could not give in time: the page says so and shows the rest.</summary>
    public static readonly MonitorCharts Unavailable = new([], [], isAvailable: false);

    private readonly ILookup<string, RollupSpan> _fiveMinutes;
    private readonly ILookup<string, RollupSpan> _hours;

    private MonitorCharts(IEnumerable<RollupSpan> fiveMinutes, IEnumerable<RollupSpan> hours, bool isAvailable)
    {
        _fiveMinutes = fiveMinutes.ToLookup(s => s.MonitorId, StringComparer.Ordinal);
        _hours = hours.ToLookup(s => s.MonitorId, StringComparer.Ordinal);
        IsAvailable = isAvailable;
    }

    public bool IsAvailable { get; }

    /// <summary>The rollups of <paramref name="monitorIds"/> that the charts up to <paramref name="at"/> draw.</summary>
    public static async Task<MonitorCharts> ReadAsync(
        ICandorStore store, IReadOnlyCollection<string> monitorIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Up to and including the bucket that starts at the moment itself; the store keeps milliseconds.
        var to = at.AddMilliseconds(1);
        var fiveMinutes = await store.ReadFiveMinuteRollupsAsync(monitorIds, First(ChartRange.Day, at), to, cancellationToken)
            .ToListAsync(cancellationToken);
        var hours = await store.ReadHourlyRollupsAsync(monitorIds, First(ChartRange.Month, at), to, cancellationToken)
            .ToListAsync(cancellationToken);
        return new MonitorCharts(fiveMinutes, hours, isAvailable: true);
    }

    /// <summary>
    /// A monitor's buckets of one range up to <paramref name="at"/>, the moment they were read for, oldest first; a
    /// bucket without checks is left out.
    /// </summary>
    public IReadOnlyList<LatencyBucket> Series(string monitorId, ChartRange range, DateTimeOffset at)
    {
        var spans = range == ChartRange.Day ? _fiveMinutes[monitorId] : _hours[monitorId];
        var from = First(range, at);
        var size = range.BucketSize();
        var merged = new List<LatencyBucket>();
        foreach (var span in spans.Where(s => s.Start >= from && s.Start <= at))
        {
            var start = Floor(span.Start, size);
            if (merged.Count == 0 || merged[^1].Start != start)
            {
                merged.Add(new LatencyBucket(start, 0, 0, 0, 0));
            }

            merged[^1] = merged[^1].Add(span.Count, span.Failures, span.LatencySumMs, span.LatencyMaxMs);
        }

        return merged;
    }

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan size) => new(at.UtcTicks - (at.UtcTicks % size.Ticks), TimeSpan.Zero);

    /// <summary>The start of the first bucket a range draws: that of the bucket its span begins in.</summary>
    private static DateTimeOffset First(ChartRange range, DateTimeOffset at) => Floor(at - range.Span(), range.BucketSize());
}

/// <summary>
/// Reads the charts of the components' pages from the store, one page at a time: a crawler that opens every
/// component's page at once costs the store one reading at a time, not as many as it opens. The pages wait their turn
/// holding no thread, and one that waits past <see cref="Within"/> is shown without its charts.
/// </summary>
public sealed class ChartReader(ICandorStore store) : IDisposable
{
    /// <summary>How long a component's page waits for its charts, its turn included, before it is shown without them.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public void Dispose() => _oneAtATime.Dispose();

    public async Task<MonitorCharts> ReadAsync(IReadOnlyCollection<string> monitorIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await MonitorCharts.ReadAsync(store, monitorIds, at, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
