using System.Globalization;

namespace Candor.Configuration;

/// <summary>
/// Durations as people write them in the config and in conditions: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>,
/// <c>14d</c>, and compounds such as <c>1h30m</c>.
/// </summary>
public static class Duration
{
    /// <summary>What to tell someone whose duration does not parse.</summary>
    public const string Hint = "use 30s, 5m, 2h, 14d";

    /// <summary>
    /// Reads one or more number-and-unit parts, largest unit first, each unit at most once; a bare number has no unit
    /// and is refused, because `interval: 30` could mean seconds or minutes.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var ticks = 0m;
        var previousUnit = long.MaxValue;
        var i = 0;
        while (i < text.Length)
        {
            var numberStart = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetterLower(text[i]))
            {
                i++;
            }

            var unit = TicksPer(text.AsSpan(unitStart, i - unitStart));
            if (unitStart == numberStart || unit == 0 || unit >= previousUnit
                || !decimal.TryParse(text.AsSpan(numberStart, unitStart - numberStart), NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture, out var number)
                || number > TimeSpan.MaxValue.Ticks / unit)
            {
                return false;
            }

            previousUnit = unit;
            ticks += number * unit;
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    /// <summary>The shortest form that reads well and parses back: <c>800ms</c>, <c>1.2s</c>, <c>5m</c>, <c>1h30m</c>, <c>14d</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value == TimeSpan.MinValue ? TimeSpan.MaxValue : value.Negate());
        }

        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            // Whole milliseconds read best in messages ("328ms"); below 10 ms a tenth still says something.
            var ms = value.TotalMilliseconds;
            return ms.ToString(ms >= 10 ? "0" : "0.#", CultureInfo.InvariantCulture) + "ms";
        }

        if (value < TimeSpan.FromMinutes(1))
        {
            return value.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + "s";
        }

        var text = "";
        if (value.Days > 0)
        {
            text += value.Days.ToString(CultureInfo.InvariantCulture) + "d";
        }

        if (value.Hours > 0)
        {
            text += value.Hours.ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (value.Minutes > 0)
        {
            text += value.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = (value - new TimeSpan(value.Days, value.Hours, value.Minutes, 0)).TotalSeconds
            .ToString("0.##", CultureInfo.InvariantCulture);
        if (seconds != "0")
        {
            text += seconds + "s";
        }

        return text;
    }

    private static long TicksPer(ReadOnlySpan<char> unit) => unit switch
    {
        "d" => TimeSpan.TicksPerDay,
        "h" => TimeSpan.TicksPerHour,
        "m" => TimeSpan.TicksPerMinute,
        "s" => TimeSpan.TicksPerSecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        _ => 0,
    };
}
