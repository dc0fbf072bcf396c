using Candor.Configuration;
using Candor.Hosting;
using Candor.Maintenance;
using Candor.Monitoring.State;
using Candor.StatusPage.Api;
using Candor.Storage;

namespace Candor.StatusPage;

/// <summary>
/// The public snapshot, rebuilt from the store and the live states whenever something public changes. A
/// request reads a reference and never touches the database, so a surge of visitors costs no queries; a burst
/// of changes is folded into one rebuild.
/// </summary>
public sealed class LivePublicSnapshot(
    CandorConfig config,
    CandorHostOptions options,
    ICandorStore store,
    MonitorStateTracker tracker,
    ConfigRecords records,
    ChangeFeed feed,
    TimeProvider clock,
    ILogger<LivePublicSnapshot> logger) : BackgroundService, IPublicSnapshotSource
{
    /// <summary>Incidents older than the newest 50 are not shown by any public document.</summary>
    private const int RecentIncidents = 50;

    private readonly SemaphoreSlim _changed = new(0, 1);
    private PublicSnapshot? _current;

    public PublicSnapshot Current => Volatile.Read(ref _current)
        ?? throw new InvalidOperationException("The public snapshot is built when the server starts.");

    /// <summary>Raised after each new snapshot is in place, for what is built on top of it (the status pages).</summary>
    public event Action? Published;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _current, await BuildAsync(cancellationToken));
        Published?.Invoke();
        feed.Changed += Signal;
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        feed.Changed -= Signal;
        _changed.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(stoppingToken);
                try
                {
                    Volatile.Write(ref _current, await BuildAsync(stoppingToken));
                    Published?.Invoke();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The last good snapshot keeps being served; the next change tries again.
                    logger.LogError(exception, "Rebuilding the public snapshot failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Signal()
    {
        if (_changed.CurrentCount == 0)
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another change got there first: one rebuild covers both.
            }
        }
    }

    /// <summary>Builds a snapshot from the store and the states now; `candor export` uses it without the server running.</summary>
    internal async Task<PublicSnapshot> BuildAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var states = tracker.ComponentStates();
        var components = config.Components
            .Select((c, i) => new PublicComponent(
                c, states[c.Id].Status, records.ComponentCreatedAt(c.Id) ?? now, states[c.Id].Since, i + 1))
            .ToList();

        var incidents = (await store.GetOpenIncidentsAsync(cancellationToken))
            .Concat(await store.GetRecentIncidentsAsync(RecentIncidents, cancellationToken))
            .DistinctBy(i => i.Id)
            .ToList();
        var published = new List<PublicIncident>(incidents.Count);
        foreach (var incident in incidents)
        {
            published.Add(new PublicIncident(incident, await store.GetIncidentEventsAsync(incident.Id, cancellationToken)));
        }

        var maintenances = new List<PublicMaintenance>();
        foreach (var window in (await store.GetMaintenanceWindowsAsync(RecentIncidents, cancellationToken))
            .Where(w => w.State != MaintenanceState.Cancelled))
        {
            maintenances.Add(Publish(window, await store.GetMaintenanceEventsAsync(window.Id, cancellationToken)));
        }

        var updatedAt = components.Select(c => c.UpdatedAt)
            .Concat(incidents.Select(i => i.UpdatedAt))
            .Concat(maintenances.Select(m => m.UpdatedAt))
            .DefaultIfEmpty(now)
            .Max();
        var page = new PublicPage(
            StatuspageIds.PageId(config.Page.Name),
            config.Page.Name,
            new Uri(config.Page.Url ?? options.Urls[0]),
            TimeZoneInfo.FindSystemTimeZoneById(config.Page.TimeZone),
            updatedAt);
        return new PublicSnapshot { Page = page, Components = components, Incidents = published, Maintenances = maintenances };
    }

    /// <summary>Statuspage has no failed maintenance: a failed window shows as completed; its incident tells the rest.</summary>
    private static PublicMaintenance Publish(MaintenanceWindow window, IReadOnlyList<MaintenanceEvent> events) => new()
    {
        Id = window.Id,
        Name = window.Title,
        Status = StatusOf(window.State),
        ScheduledFor = window.ScheduledFor,
        ScheduledUntil = window.ScheduledUntil,
        CreatedAt = window.CreatedAt,
        UpdatedAt = window.UpdatedAt,
        StartedAt = window.CreatedAt,
        MonitoringAt = window.EndedAt,
        ResolvedAt = window.CompletedAt,
        ComponentIds = window.ComponentIds,
        Updates = [.. events.Where(e => e.Public && e.State != MaintenanceState.Cancelled).Select(e => new MaintenanceUpdate
        {
            Id = e.Id,
            Status = StatusOf(e.State),
            At = e.At,
            Body = e.Body,
            DeliverNotifications = e.DeliverNotifications,
        })],
    };

    private static MaintenanceStatus StatusOf(MaintenanceState state) => state switch
    {
        MaintenanceState.Scheduled => MaintenanceStatus.Scheduled,
        MaintenanceState.InProgress => MaintenanceStatus.InProgress,
        MaintenanceState.Verifying => MaintenanceStatus.Verifying,
        _ => MaintenanceStatus.Completed,
    };
}
