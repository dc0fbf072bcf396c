using Candor.Configuration;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.StatusPage.Api;

namespace Candor.StatusPage.Site;

/// <summary>An incident with the public part of its timeline, oldest first.</summary>
public sealed record SiteIncident(Incident Incident, IReadOnlyList<IncidentEvent> Timeline);

/// <summary>
/// Everything the public pages show, frozen at one moment; the pages are rendered from it and nothing else. The charts
/// alone are read when a component's page is rendered, from the stored rollups, up to that moment.
/// </summary>
internal sealed record SiteData
{
    public required CandorConfig Config { get; init; }

    /// <summary>The page and the components, with the statuses the Statuspage API shows at the same time.</summary>
    public required PublicSnapshot Public { get; init; }

    public required ComponentLayout Layout { get; init; }

    public required PageStatus Status { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Each component's bar, by component id.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<UptimeDay>> Uptime { get; init; }

    /// <summary>
    /// Where each monitor's response times are read from, when a page that draws them is rendered: only a component's
    /// page does, for its own monitors, and pages few visitors open were drawn from every monitor's month kept in memory.
    /// </summary>
    public required ChartReader Charts { get; init; }

    /// <summary>Newest first: every open incident and the most recent others.</summary>
    public required IReadOnlyList<SiteIncident> Incidents { get; init; }

    /// <summary>Every window not yet over and the most recent others, cancelled ones left out.</summary>
    public required IReadOnlyList<MaintenanceWindow> Maintenance { get; init; }

    public TimeZoneInfo Zone => Public.Page.TimeZone;

    /// <summary>The monitors that watch a component, in the config's order, as its page lists them.</summary>
    public IReadOnlyList<MonitorConfig> MonitorsOf(PublicComponent component) =>
        [.. Config.Monitors.Where(m => m.Component == component.Config.Id)];

    /// <summary>The response times of a component's monitors, up to <see cref="At"/>.</summary>
    public Task<MonitorCharts> ChartsAsync(PublicComponent component, CancellationToken cancellationToken) =>
        Charts.ReadAsync([.. MonitorsOf(component).Select(m => m.Id)], At, cancellationToken);

    public SiteIncident? Incident(string id) => Incidents.FirstOrDefault(i => i.Incident.Id == id);
}
