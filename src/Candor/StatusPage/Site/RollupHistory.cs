using Candor.Storage;

namespace Candor.StatusPage.Site;

/// <summary>
/// The checks and failures of each group of monitors (a component's) by local date, over the uptime bars' 90 days,
/// kept in memory and topped up from the stored hourly rollups, so that a build of the pages reads only what is new:
/// at the first refresh, 90 days of every monitor's hours, summed as they are read; after it, only the hours newer
/// than the last refresh, or than the earliest start among the results the rollups have come to count since (a late
/// result, such as an agent's batch after a partition, lands in its hour however late). An hour is counted on the
/// local date it starts on. The last hours of each group are kept beside its dates, so that an hour read again
/// replaces what it counted before; a result later than those sends a refresh back to the start of its date, which it
/// reads again whole. Groups, not monitors: 100,000 monitors kept 50 KB each when every monitor's hours were kept,
/// for its charts too, which its component's page now reads from the store (<see cref="MonitorCharts"/>). A refresh
/// reads from the store before it changes any date, and changes them all at once.
/// </summary>
public sealed class RollupHistory : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Kept = TimeSpan.FromDays(UptimeBar.Days + 1);

    /// <summary>The dates a group keeps: those of the 91 days kept, and one to spare for a day of 25 hours.</summary>
    private const int DateSlots = UptimeBar.Days + 3;

    /// <summary>
    /// The hours a group keeps besides its dates. A refresh reads again the hour or two since the last one, or the hours
    /// since a late result's; a result later than these, or a refresh this long after the last, reads whole dates.
    /// </summary>
    private const int HourSlots = 8;

    private readonly ICandorStore _store;
    private readonly TimeZoneInfo _zone;
    private readonly string[] _groups;

    /// <summary>The groups of each monitor, by index into <see cref="_groups"/>; a monitor not configured is not counted.</summary>
    private readonly Dictionary<string, int[]> _groupsOf;

    /// <summary>Each group's dates, by the day number modulo <see cref="DateSlots"/>, group after group.</summary>
    private readonly CheckCount[] _dates;

    /// <summary>Each group's hours, by the hour number (since 1970) modulo <see cref="HourSlots"/>, group after group.</summary>
    private readonly CheckCount[] _hours;

    /// <summary>Held by a refresh from its start to its end: one at a time.</summary>
    private readonly SemaphoreSlim _refreshing = new(1, 1);

    /// <summary>Held while a refresh changes the dates, and by a read of them.</summary>
    private readonly Lock _changing = new();

    private DateTimeOffset? _readUntil;

    /// <summary>How far the rollups counted the stored results when the last refresh read them.</summary>
    private long? _counted;

    /// <summary>The day numbers kept, from the first up to the end; they hold nothing before the first refresh.</summary>
    private int _firstDate, _endDate;

    /// <summary>The hour numbers kept, from the first up to the end.</summary>
    private long _firstHour, _endHour;

    public RollupHistory(ICandorStore store, ILookup<string, string> monitorsByGroup, TimeZoneInfo zone)
    {
        _store = store;
        _zone = zone;
        _groups = [.. monitorsByGroup.Select(group => group.Key)];
        _groupsOf = monitorsByGroup
            .SelectMany((group, index) => group.Select(monitorId => (MonitorId: monitorId, Index: index)))
            .GroupBy(pair => pair.MonitorId, StringComparer.Ordinal)
            .ToDictionary(pairs => pairs.Key, pairs => pairs.Select(pair => pair.Index).Distinct().ToArray(), StringComparer.Ordinal);
        _dates = new CheckCount[_groups.Length * DateSlots];
        _hours = new CheckCount[_groups.Length * HourSlots];
    }

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

    /// <summary>
    /// Checks per local date of each group's monitors, by group key, as the last refresh left them; a date without
    /// checks is left out.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>> DailyChecks()
    {
        var groups = new Dictionary<string, IReadOnlyDictionary<DateOnly, CheckCount>>(_groups.Length, StringComparer.Ordinal);
        lock (_changing)
        {
            for (var group = 0; group < _groups.Length; group++)
            {
                var days = new Dictionary<DateOnly, CheckCount>();
                for (var date = _firstDate; date < _endDate; date++)
                {
                    if (_dates[DateSlot(group, date)] is { Checks: > 0 } checks)
                    {
                        days[DateOnly.FromDayNumber(date)] = checks;
                    }
                }

                groups[_groups[group]] = days;
            }
        }

        return groups;
    }

    private async Task ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A date changes only as the rollups count more results. Those of a monitor that checks from here arrive within
        // its timeout; an agent's may come hours late, and a refresh reads from the earliest of them.
        var progress = await _store.GetRollupProgressAsync(_counted, cancellationToken);
        var until = now.AddMinutes(1);
        var endHour = Math.Max(HourNumber(until.AddTicks(-1)) + 1, _endHour);
        var firstHour = HourNumber(ReadFrom(now, progress.EarliestSince));
        var wholeDates = _readUntil is null || firstHour < _firstHour || endHour - firstHour > 2 * HourSlots;
        if (wholeDates)
        {
            firstHour = FirstHourOfItsDate(firstHour);
        }

        // A store under load may take seconds to answer, and a build meanwhile reads the dates as they were.
        var read = new HoursRead(this, firstHour, endHour, wholeDates);
        await foreach (var hour in _store.ReadHourlyRollupsAsync(StartOf(firstHour), until, cancellationToken))
        {
            if (_groupsOf.TryGetValue(hour.MonitorId, out var groups))
            {
                read.Add(groups, HourNumber(hour.Start), new CheckCount(hour.Count, hour.Failures));
            }
        }

        lock (_changing)
        {
            var firstDate = DateNumber(now - Kept);
            var endDate = Math.Max(DateNumber(until) + 1, _endDate);
            if (wholeDates)
            {
                read.ReplaceDates(DateNumber(StartOf(firstHour)), endDate);
            }
            else
            {
                ClearDates(_endDate, endDate);
                read.ReplaceHours();
            }

            (_firstDate, _endDate) = (Math.Max(firstDate, _firstDate), endDate);
            (_firstHour, _endHour) = (endHour - HourSlots, endHour);
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

    /// <summary>Dates coming into what is kept start empty: their slots last held dates 94 days before.</summary>
    private void ClearDates(int from, int to)
    {
        for (var date = Math.Max(from, to - DateSlots); date < to; date++)
        {
            for (var group = 0; group < _groups.Length; group++)
            {
                _dates[DateSlot(group, date)] = default;
            }
        }
    }

    private long FirstHourOfItsDate(long hour)
    {
        var date = DateNumber(StartOf(hour));
        while (DateNumber(StartOf(hour - 1)) == date)
        {
            hour--;
        }

        return hour;
    }

    private int DateNumber(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _zone).DateTime).DayNumber;

    private static int DateSlot(int group, int date) => (group * DateSlots) + (date % DateSlots);

    private static int HourSlot(int group, long hour) => (group * HourSlots) + (int)(hour % HourSlots);

    private static long HourNumber(DateTimeOffset at) => at.ToUnixTimeSeconds() / 3600;

    private static DateTimeOffset StartOf(long hour) => DateTimeOffset.FromUnixTimeSeconds(hour * 3600);

    /// <summary>
    /// The hours a refresh read, from its first up to its end, summed by group: each by hour to replace the kept hours
    /// they read again, or, where it reads whole dates, by date, and by hour only those that will be kept.
    /// </summary>
    private sealed class HoursRead
    {
        private readonly RollupHistory _history;
        private readonly long _firstHour;
        private readonly long _endHour;
        private readonly CheckCount[] _hours;
        private readonly CheckCount[]? _dates;
        private long _lastHour = -1;
        private int _lastDate;

        public HoursRead(RollupHistory history, long firstHour, long endHour, bool wholeDates)
        {
            _history = history;
            _endHour = endHour;
            _firstHour = wholeDates ? Math.Max(firstHour, endHour - HourSlots) : firstHour;
            _hours = new CheckCount[history._groups.Length * (int)(endHour - _firstHour)];
            _dates = wholeDates ? new CheckCount[history._groups.Length * DateSlots] : null;
        }

        private int HourCount => (int)(_endHour - _firstHour);

        public void Add(int[] groups, long hour, CheckCount checks)
        {
            var kept = hour >= _firstHour && hour < _endHour;
            var date = _dates is null ? 0 : DateOf(hour);
            foreach (var group in groups)
            {
                if (kept)
                {
                    _hours[(group * HourCount) + (int)(hour - _firstHour)] += checks;
                }

                if (_dates is not null)
                {
                    _dates[DateSlot(group, date)] += checks;
                }
            }
        }

        /// <summary>Every group's dates from <paramref name="from"/> up to <paramref name="to"/>, and its hours, as read.</summary>
        public void ReplaceDates(int from, int to)
        {
            var history = _history;
            for (var group = 0; group < history._groups.Length; group++)
            {
                for (var date = Math.Max(from, to - DateSlots); date < to; date++)
                {
                    history._dates[DateSlot(group, date)] = _dates![DateSlot(group, date)];
                }

                for (var hour = _firstHour; hour < _endHour; hour++)
                {
                    history._hours[HourSlot(group, hour)] = _hours[(group * HourCount) + (int)(hour - _firstHour)];
                }
            }
        }

        /// <summary>
        /// Each hour read again takes the place of what it counted before on its date; an hour past those read
        /// before counted nothing yet.
        /// </summary>
        public void ReplaceHours()
        {
            var history = _history;
            for (var hour = _firstHour; hour < _endHour; hour++)
            {
                var date = DateOf(hour);
                var readBefore = hour < history._endHour;
                for (var group = 0; group < history._groups.Length; group++)
                {
                    var slot = HourSlot(group, hour);
                    var before = readBefore ? history._hours[slot] : default;
                    var now = _hours[(group * HourCount) + (int)(hour - _firstHour)];
                    ref var day = ref history._dates[DateSlot(group, date)];
                    day = new CheckCount(day.Checks + now.Checks - before.Checks, day.Failures + now.Failures - before.Failures);
                    history._hours[slot] = now;
                }
            }
        }

        /// <summary>The hours come in time order, each for many monitors: one conversion per hour.</summary>
        private int DateOf(long hour)
        {
            if (hour != _lastHour)
            {
                (_lastHour, _lastDate) = (hour, _history.DateNumber(StartOf(hour)));
            }

            return _lastDate;
        }
    }
}
