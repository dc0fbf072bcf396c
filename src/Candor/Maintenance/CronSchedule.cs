namespace Candor.Maintenance;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week), as crontab writes it, evaluated in
/// a time zone so that "every Sunday at 02:00 Europe/Berlin" stays at 02:00 local time across daylight saving.
/// Fields take `*`, numbers, ranges `a-b`, lists `a,b` and steps `*/n` or `a-b/n`; day-of-week 0 and 7 are
/// Sunday; names (SUN, JAN) are accepted. As in crontab, when both day fields are restricted either may match.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _days;
    private readonly bool[] _months;
    private readonly bool[] _weekdays;
    private readonly bool _anyDay;
    private readonly bool _anyWeekday;

    private CronSchedule(string text, bool[][] fields, bool anyDay, bool anyWeekday)
    {
        Text = text;
        (_minutes, _hours, _days, _months, _weekdays) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        _anyDay = anyDay;
        _anyWeekday = anyWeekday;
    }

    public string Text { get; }

    /// <exception cref="FormatException">With a message that names the field and what is wrong.</exception>
    public static CronSchedule Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            throw new FormatException(
                $"'{text}' is not a cron expression: write five fields, minute hour day-of-month month day-of-week, e.g. '0 2 * * SUN'");
        }

        var weekdays = Field(parts[4], "day-of-week", 0, 7, DayNames, 0);
        weekdays[0] |= weekdays[7];
        return new CronSchedule(
            text,
            [
                Field(parts[0], "minute", 0, 59, null, 0),
                Field(parts[1], "hour", 0, 23, null, 0),
                Field(parts[2], "day-of-month", 1, 31, null, 0),
                Field(parts[3], "month", 1, 12, MonthNames, 1),
                weekdays,
            ],
            parts[2] == "*",
            parts[4] == "*");
    }

    /// <summary>The first time strictly after <paramref name="after"/> that matches, in <paramref name="zone"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var candidate = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);

        // Four years cover every combination of weekday and date, 29 February included.
        var limit = candidate.AddYears(4);
        while (candidate < limit)
        {
            if (!_months[candidate.Month])
            {
                candidate = new DateTime(candidate.Year, candidate.Month, 1).AddMonths(1);
                continue;
            }

            if (!DayMatches(candidate))
            {
                candidate = candidate.Date.AddDays(1);
                continue;
            }

            if (!_hours[candidate.Hour])
            {
                candidate = candidate.Date.AddHours(candidate.Hour + 1);
                continue;
            }

            if (!_minutes[candidate.Minute])
            {
                candidate = candidate.AddMinutes(1);
                continue;
            }

            // A local time skipped by a daylight-saving jump does not exist; the run moves to the next match.
            if (zone.IsInvalidTime(candidate))
            {
                candidate = candidate.AddMinutes(1);
                continue;
            }

            return new DateTimeOffset(candidate, zone.GetUtcOffset(candidate)).ToUniversalTime();
        }

        throw new InvalidOperationException($"'{Text}' never matches");
    }

    public override string ToString() => Text;

    private bool DayMatches(DateTime day)
    {
        var dom = _days[day.Day];
        var dow = _weekdays[(int)day.DayOfWeek];
        return (_anyDay, _anyWeekday) switch
        {
            (true, true) => true,
            (true, false) => dow,
            (false, true) => dom,
            _ => dom || dow,
        };
    }

    private static bool[] Field(string text, string name, int min, int max, string[]? names, int nameBase)
    {
        var set = new bool[max + 1];
        foreach (var item in text.Split(','))
        {
            var (range, step) = item.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, out var n) && n > 0 => (r, n),
                _ => throw Bad(text, name, min, max),
            };
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var a, var b])
            {
                (from, to) = (Value(a, text, name, min, max, names, nameBase), Value(b, text, name, min, max, names, nameBase));
            }
            else
            {
                from = Value(range, text, name, min, max, names, nameBase);
                to = step > 1 ? max : from;
            }

            if (from > to)
            {
                throw Bad(text, name, min, max);
            }

            for (var v = from; v <= to; v += step)
            {
                set[v] = true;
            }
        }

        return set;
    }

    private static int Value(string text, string field, string name, int min, int max, string[]? names, int nameBase)
    {
        if (int.TryParse(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var index = names is null ? -1 : Array.IndexOf(names, text.ToUpperInvariant());
        return index >= 0 ? index + nameBase : throw Bad(field, name, min, max);
    }

    private static FormatException Bad(string field, string name, int min, int max) =>
        new($"'{field}' is not a valid {name} field: use {min}-{max}, '*', lists, ranges or steps like */15");
}
