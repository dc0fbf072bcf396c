using System.Globalization;

namespace Candor.Notifications;

/// <summary>
/// Times as subscribers read them: in the page's time zone, with the zone named, because "17:05" alone
/// means nothing to a reader in another one.
/// </summary>
public sealed class PageTime(TimeZoneInfo zone)
{
    private readonly bool _utc = zone.HasSameRules(TimeZoneInfo.Utc);

    /// <summary>"2026-11-03 12:05 America/New_York (UTC-05:00)", or "2026-11-03 17:05 UTC".</summary>
    public string Format(DateTimeOffset instant)
    {
        if (_utc)
        {
            return instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        }

        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            + $" {zone.Id} (UTC{sign}{offset.Duration():hh\\:mm})";
    }

    /// <summary>"2 h 50 min", "12 min", "40 s".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return $"{Math.Max(0, (int)span.TotalSeconds)} s";
        }

        var minutes = (int)Math.Round(span.TotalMinutes);
        return minutes < 60 ? $"{minutes} min" : minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";
    }
}
