using System.Globalization;

namespace Candor.StatusPage.Api;

/// <summary>
/// Formats instants as Statuspage shows them: in the page's time zone, with exactly three fractional digits and
/// the offset in force at that instant (so one document mixes summer and winter offsets), and a literal <c>Z</c>
/// on UTC pages. The width never varies, since some clients slice the first 19 characters.
/// </summary>
internal sealed class PageClock(TimeZoneInfo zone)
{
    private readonly bool _utc = zone.HasSameRules(TimeZoneInfo.Utc);

    public string Timestamp(DateTimeOffset value) =>
        _utc
            ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>The calendar date of the instant on the page, as <c>YYYY-MM-DD</c>.</summary>
    public string Date(DateTimeOffset value) =>
        TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
