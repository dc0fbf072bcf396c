using System.Globalization;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring;

namespace Candor.StatusPage.Site;

/// <summary>How the pages word statuses and times, and the CSS class that colours each status.</summary>
public sealed class SiteText(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    /// <summary>An instant as a reader in the page's zone reads it, with the exact instant for machines.</summary>
    public string Time(DateTimeOffset at) =>
        $"""<time datetime="{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}">{Html.Text(Local(at))}</time>""";

    /// <summary>"3 Nov 2026, 12:05".</summary>
    public string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"3 Nov 2026".</summary>
    public string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public string Clock(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"Europe/Berlin (UTC+01:00)" with the offset in force at that instant, or "UTC".</summary>
    public string ZoneName(DateTimeOffset at)
    {
        if (zone.HasSameRules(TimeZoneInfo.Utc))
        {
            return "UTC";
        }

        var offset = zone.GetUtcOffset(at);
        return $"{zone.Id} (UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset.Duration():hh\\:mm})";
    }

    public static string Words(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "Operational",
        ComponentStatus.DegradedPerformance => "Degraded Performance",
        ComponentStatus.PartialOutage => "Partial Outage",
        ComponentStatus.MajorOutage => "Major Outage",
        _ => "Under Maintenance",
    };

    public static string Class(ComponentStatus status) => Class(UptimeBar.HealthOf(status));

    public static string Class(DayHealth health) => health switch
    {
        DayHealth.Operational => "s-ok",
        DayHealth.Maintenance => "s-maintenance",
        DayHealth.Degraded => "s-degraded",
        DayHealth.PartialOutage => "s-partial",
        DayHealth.MajorOutage => "s-major",
        _ => "s-none",
    };

    public static string Words(DayHealth health) => health switch
    {
        DayHealth.Operational => "no problems",
        DayHealth.Maintenance => "maintenance",
        DayHealth.Degraded => "degraded performance",
        DayHealth.PartialOutage => "partial outage",
        DayHealth.MajorOutage => "major outage",
        _ => "no data",
    };

    public static string Words(IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => "Investigating",
        IncidentStatus.Identified => "Identified",
        IncidentStatus.Monitoring => "Monitoring",
        IncidentStatus.Resolved => "Resolved",
        _ => "Postmortem",
    };

    public static string Words(IncidentImpact impact) => impact switch
    {
        IncidentImpact.None => "none",
        IncidentImpact.Minor => "minor",
        IncidentImpact.Major => "major",
        _ => "critical",
    };

    public static string Words(MaintenanceState state) => state switch
    {
        MaintenanceState.Scheduled => "Scheduled",
        MaintenanceState.InProgress => "In progress",
        MaintenanceState.Verifying => "Verifying",
        MaintenanceState.Completed => "Completed",
        MaintenanceState.Failed => "Failed",
        _ => "Cancelled",
    };

    /// <summary>"2 h 50 min", "12 min", "40 s".</summary>
    public static string Duration(TimeSpan span) => Notifications.PageTime.Duration(span);
}
