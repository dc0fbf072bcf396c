using Candor.Monitoring;

namespace Candor.StatusPage.Api;

/// <summary>The colour of the page's banner, as Statuspage names it in <c>status.indicator</c>.</summary>
public enum PageIndicator
{
    None,
    Minor,
    Major,
    Critical,
    Maintenance,
}

/// <param name="Description">One of Statuspage's seven fixed sentences; clients compare them as strings.</param>
public sealed record PageStatus(PageIndicator Indicator, string Description);

/// <summary>
/// The page's overall status from its components' statuses. Groups do not count and incident impact does not
/// change it: on Statuspage an incident whose components stay operational leaves the page green.
/// </summary>
public static class PageRollup
{
    public static readonly PageStatus AllOperational = new(PageIndicator.None, "All Systems Operational");
    public static readonly PageStatus MajorSystemOutage = new(PageIndicator.Critical, "Major System Outage");
    public static readonly PageStatus PartialSystemOutage = new(PageIndicator.Major, "Partial System Outage");
    public static readonly PageStatus MinorServiceOutage = new(PageIndicator.Minor, "Minor Service Outage");
    public static readonly PageStatus DegradedSystemService = new(PageIndicator.Minor, "Degraded System Service");
    public static readonly PageStatus PartiallyDegradedService = new(PageIndicator.Minor, "Partially Degraded Service");
    public static readonly PageStatus UnderMaintenance = new(PageIndicator.Maintenance, "Service Under Maintenance");

    /// <summary>
    /// Statuspage documents the mapping for a single component; for more it "blends" them, and the rules below,
    /// tried in order, reproduce every captured page. Note that one degraded component reads "Partially Degraded
    /// Service" while several, all degraded, read "Degraded System Service". A failure outranks maintenance, so
    /// that work going wrong is not hidden behind a blue banner.
    /// </summary>
    public static PageStatus Of(IReadOnlyCollection<ComponentStatus> components)
    {
        var present = components.ToHashSet();
        bool All(ComponentStatus status) => present.Count == 1 && present.Contains(status);

        return true switch
        {
            _ when All(ComponentStatus.MajorOutage) => MajorSystemOutage,
            _ when present.Contains(ComponentStatus.MajorOutage) => PartialSystemOutage,
            _ when All(ComponentStatus.PartialOutage) => PartialSystemOutage,
            _ when present.Contains(ComponentStatus.PartialOutage) => MinorServiceOutage,
            _ when All(ComponentStatus.DegradedPerformance) && components.Count > 1 => DegradedSystemService,
            _ when present.Contains(ComponentStatus.DegradedPerformance) => PartiallyDegradedService,
            _ when present.Contains(ComponentStatus.UnderMaintenance) => UnderMaintenance,
            _ => AllOperational,
        };
    }
}
