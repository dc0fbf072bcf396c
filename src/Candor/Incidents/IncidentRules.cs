using Candor.Monitoring;

namespace Candor.Incidents;

public static class IncidentRules
{
    /// <summary>Failures of several components within this long join one incident.</summary>
    public static readonly TimeSpan JoinWindow = TimeSpan.FromMinutes(1);

    /// <summary>Impact follows the worst affected component (a person may override it).</summary>
    public static IncidentImpact ImpactOf(IEnumerable<ComponentStatus> statuses) =>
        statuses.Select(s => s switch
        {
            ComponentStatus.MajorOutage => IncidentImpact.Critical,
            ComponentStatus.PartialOutage => IncidentImpact.Major,
            ComponentStatus.DegradedPerformance => IncidentImpact.Minor,
            _ => IncidentImpact.None,
        }).DefaultIfEmpty(IncidentImpact.None).Max();

    /// <summary>How Candor words a status for people: "major outage", "degraded performance".</summary>
    public static string Words(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "operational",
        ComponentStatus.DegradedPerformance => "degraded performance",
        ComponentStatus.PartialOutage => "partial outage",
        ComponentStatus.MajorOutage => "major outage",
        _ => "under maintenance",
    };
}
