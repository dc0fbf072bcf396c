using Candor.Configuration;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.StatusPage.Api;
using Candor.Storage;

namespace Candor.StatusPage.Site;

/// <summary>
/// Gathers what the pages show beside the public snapshot: the uptime bars and a longer history of incidents and
/// maintenance; a component's page reads its response times itself (<see cref="SiteData.ChartsAsync"/>). Timelines of
/// closed incidents are read once and kept; rollups are read incrementally (see <see cref="RollupHistory"/>). One
/// build runs at a time.
/// </summary>
public sealed class StatusSiteBuilder(CandorConfig config, ICandorStore store) : IDisposable
{
    /// <summary>How far back /history goes, in incidents and in maintenance windows.</summary>
    public const int HistoryLimit = 500;

    private static readonly IReadOnlyDictionary<DateOnly, CheckCount> NoChecks = new Dictionary<DateOnly, CheckCount>();

    /// <summary>The config is fixed for the life of the process, so its monitors are grouped once, and so is its zone.</summary>
    private readonly RollupHistory _rollups = new(
        store,
        config.Monitors.ToLookup(m => m.Component, m => m.Id, StringComparer.Ordinal),
        TimeZoneInfo.FindSystemTimeZoneById(config.Page.TimeZone));

    private readonly ChartReader _charts = new(store);

    private readonly Dictionary<string, SiteIncident> _timelines = new(StringComparer.Ordinal);

    public void Dispose()
    {
        _rollups.Dispose();
        _charts.Dispose();
    }

    internal async Task<SiteData> BuildAsync(PublicSnapshot snapshot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _rollups.RefreshAsync(now, cancellationToken);
        var incidents = await IncidentsAsync(cancellationToken);
        var zone = snapshot.Page.TimeZone;
        var windowStart = UptimeBar.WindowStart(zone, now);
        var histories = (await store.GetComponentHistoryAsync(windowStart, now.AddTicks(1), cancellationToken))
            .ToLookup(change => change.ComponentId, StringComparer.Ordinal);
        var spans = incidents
            .SelectMany(i => i.Incident.ComponentIds.Distinct(StringComparer.Ordinal).Select(id => (Component: id, Span: new IncidentSpan(
                i.Incident.Id,
                i.Incident.Name,
                i.Incident.ImpactStart ?? i.Incident.StartedAt,
                i.Incident.IsOpen ? null : i.Incident.ImpactEnd ?? i.Incident.ResolvedAt))))
            .ToLookup(x => x.Component, x => x.Span, StringComparer.Ordinal);
        var checks = _rollups.DailyChecks();

        var uptime = new Dictionary<string, IReadOnlyList<UptimeDay>>(StringComparer.Ordinal);
        foreach (var component in snapshot.Components)
        {
            var id = component.Config.Id;
            uptime[id] = UptimeBar.Compute(
                zone,
                now,
                component.CreatedAt,
                component.Status,
                [.. histories[id]],
                [.. spans[id]],
                checks.GetValueOrDefault(id) ?? NoChecks);
        }

        var layout = new ComponentLayout(snapshot.Components);
        return new SiteData
        {
            Config = config,
            Public = snapshot,
            Layout = layout,
            Status = PageRollup.Of(layout.LeafStatuses),
            At = now,
            Uptime = uptime,
            Charts = _charts,
            Incidents = incidents,
            Maintenance = [.. (await store.GetMaintenanceWindowsAsync(HistoryLimit, cancellationToken))
                .Where(w => w.State != MaintenanceState.Cancelled)
                .OrderByDescending(w => w.ScheduledFor)],
        };
    }

    /// <summary>Open incidents' timelines are read every time (their events do not always touch the incident).</summary>
    private async Task<IReadOnlyList<SiteIncident>> IncidentsAsync(CancellationToken cancellationToken)
    {
        var incidents = (await store.GetOpenIncidentsAsync(cancellationToken))
            .Concat(await store.GetRecentIncidentsAsync(HistoryLimit, cancellationToken))
            .DistinctBy(i => i.Id)
            .OrderByDescending(i => i.CreatedAt)
            .ToList();
        var result = new List<SiteIncident>(incidents.Count);
        foreach (var incident in incidents)
        {
            if (incident.IsOpen || !_timelines.TryGetValue(incident.Id, out var known) || known.Incident.UpdatedAt != incident.UpdatedAt)
            {
                var timeline = await store.GetIncidentEventsAsync(incident.Id, cancellationToken);
                known = new SiteIncident(incident, [.. timeline.Where(e => e.Public)]);
                _timelines[incident.Id] = known;
            }

            result.Add(known with { Incident = incident });
        }

        foreach (var gone in _timelines.Keys.Except(incidents.Select(i => i.Id)).ToList())
        {
            _timelines.Remove(gone);
        }

        return result;
    }
}
