using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Notifications;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Maintenance;

/// <summary>
/// The 48-hour storage outage, replayed on a manual clock: an OS upgrade scheduled 01:00–03:00 breaks the
/// storage service at 01:10, and nobody notices until the window is long over. Candor notices at 03:10.
/// </summary>
public sealed class MaintenanceThatGoesWrongTests : IAsyncLifetime
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Midnight = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Midnight);
    private IncidentSimulation _sim = null!;

    public async Task InitializeAsync() => _sim = await IncidentSimulation.StartAsync("""
        locations: [ { id: eu-west } ]
        components: [ { id: storage, name: Storage }, { id: web, name: Website } ]
        monitors:
          - { id: storage-api, component: storage, type: scripted, interval: 30s, timeout: 10s, locations: [local, eu-west] }
          - { id: web-home, component: web, type: scripted, interval: 30s, timeout: 10s, locations: [local, eu-west] }
        incidents: { confirm_after: 2, verify_for: 60m }
        maintenance:
          - { id: os-upgrade, title: OS upgrade, components: [storage], starts: 2026-12-01T01:00:00Z, duration: 2h, grace: 10m }
        notifications:
          channels: [ { id: ops, type: webhook, url: "http://127.0.0.1:9/hook", maintenance: true } ]

        """, _clock);

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private static DateTimeOffset At(int hour, int minute) => Midnight.AddHours(hour).AddMinutes(minute);

    private async Task RunUntilAsync(DateTimeOffset until, DateTimeOffset breaks, DateTimeOffset recovers) =>
        await _sim.RunForAsync(until - _clock.GetUtcNow(), Every, (monitor, _, now) =>
            monitor == "storage-api" && now >= breaks && now < recovers ? Outcome.Down : Outcome.Up);


    private async Task<List<OutboxEntry>> OutboxOfAsync(string subscriberId) =>
        [.. await _sim.Store.GetOutboxAsync(null, subscriberId, 100, CancellationToken.None)];

    private async Task<MaintenanceWindow> WindowAsync() =>
        (await _sim.Store.GetMaintenanceWindowAsync("os-upgrade", CancellationToken.None))!;

    [Fact]
    public async Task A_maintenance_that_breaks_the_service_fails_at_the_end_of_grace_and_opens_a_linked_incident()
    {
        var breaks = At(1, 10);
        var recovers = At(5, 0);
        var storageSubscriber = await _sim.SubscribeAsync("ops@storage-customer.example", "storage");
        var webSubscriber = await _sim.SubscribeAsync("someone@web-customer.example", "web");

        await RunUntilAsync(At(2, 30), breaks, recovers);
        Assert.Equal(MaintenanceState.InProgress, (await WindowAsync()).State);
        Assert.Empty(await _sim.Store.GetRecentIncidentsAsync(10, CancellationToken.None));
        var history = await _sim.Store.GetComponentHistoryAsync("storage", Midnight, At(3, 0), CancellationToken.None);
        Assert.Equal([ComponentStatus.UnderMaintenance], history.Select(h => h.To));

        // No incident, but the responders who asked hear of the failure inside the window at once.
        var failureInWindow = Assert.Single(
            await _sim.Store.GetMaintenanceEventsAsync("os-upgrade", CancellationToken.None), e => e.Kind == MaintenanceEventKind.FailureInWindow);
        Assert.False(failureInWindow.Public);
        Assert.Equal(breaks, failureInWindow.At);
        var toOps = (await _sim.Store.GetOutboxAsync(null, null, 100, CancellationToken.None))
            .Where(e => e.RecipientKind == RecipientKind.Channel).ToList();
        Assert.Equal([failureInWindow.Id], toOps.Select(e => e.EventId));

        await RunUntilAsync(At(3, 9), breaks, recovers);
        Assert.Equal(MaintenanceState.Verifying, (await WindowAsync()).State);
        Assert.Empty(await _sim.Store.GetRecentIncidentsAsync(10, CancellationToken.None));

        await RunUntilAsync(At(3, 10), breaks, recovers);
        var window = await WindowAsync();
        Assert.Equal(MaintenanceState.Failed, window.State);
        Assert.Equal(breaks, window.FirstFailureAt);

        var incident = await _sim.OnlyIncidentAsync();
        Assert.Equal("os-upgrade", incident.MaintenanceId);
        Assert.Equal(incident.Id, window.IncidentId);
        Assert.Equal(["storage"], incident.ComponentIds);
        Assert.Equal(breaks, incident.StartedAt);
        Assert.Equal(breaks, incident.ImpactStart);
        var opened = (await _sim.TimelineAsync(incident.Id))[0];
        Assert.Contains("began during scheduled maintenance 'OS upgrade' that started at 2026-12-01 01:00:00 UTC", opened.Body, StringComparison.Ordinal);
        Assert.True(opened.DeliverNotifications);

        // The storage customer is told of the window and of the failure; the web customer of nothing.
        var toStorage = await OutboxOfAsync(storageSubscriber);
        Assert.Contains(toStorage, e => e.Message == OutboxMessage.Incident && e.IncidentId == incident.Id && e.EventId == opened.Id);
        Assert.Equal(3, toStorage.Count(e => e.Message == OutboxMessage.Maintenance));
        Assert.Empty(await OutboxOfAsync(webSubscriber));

        // The target comes back at 05:00; the incident resolves only after 60 verified minutes.
        await RunUntilAsync(At(5, 59), breaks, recovers);
        Assert.Equal(IncidentStatus.Monitoring, (await _sim.OnlyIncidentAsync()).Status);
        await RunUntilAsync(At(6, 0), breaks, recovers);
        var resolved = await _sim.OnlyIncidentAsync();
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        var resolution = (await _sim.TimelineAsync(resolved.Id))[^1];
        Assert.Contains("Customers were affected from 2026-12-01 01:10:00 UTC to 2026-12-01 04:59:30 UTC", resolution.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_window_completes_with_no_incident()
    {
        await RunUntilAsync(At(4, 0), At(1, 10), At(1, 40));

        var window = await WindowAsync();
        Assert.Equal(MaintenanceState.Completed, window.State);
        Assert.Equal(At(4, 0), window.CompletedAt);
        Assert.Empty(await _sim.Store.GetRecentIncidentsAsync(10, CancellationToken.None));
        // Announced at 00:00:30, when both reminder times had passed: the announcement is the only notice before it.
        var events = await _sim.Store.GetMaintenanceEventsAsync("os-upgrade", CancellationToken.None);
        Assert.Equal(
            [
                MaintenanceEventKind.Scheduled, MaintenanceEventKind.Started, MaintenanceEventKind.FailureInWindow,
                MaintenanceEventKind.Verifying, MaintenanceEventKind.Completed,
            ],
            events.Select(e => e.Kind));
        var history = await _sim.Store.GetComponentHistoryAsync("storage", Midnight, At(5, 0), CancellationToken.None);
        Assert.Equal([ComponentStatus.UnderMaintenance, ComponentStatus.Operational], history.Select(h => h.To));
    }

    [Fact]
    public async Task A_failure_elsewhere_during_the_window_opens_an_incident_that_names_the_maintenance()
    {
        await _sim.RunForAsync(At(1, 30) - _clock.GetUtcNow(), Every, (monitor, _, now) =>
            monitor == "web-home" && now >= At(1, 20) ? Outcome.Down : Outcome.Up);

        var incident = await _sim.OnlyIncidentAsync();
        Assert.Equal(["web"], incident.ComponentIds);
        Assert.Null(incident.MaintenanceId);
        var opened = (await _sim.TimelineAsync(incident.Id))[0];
        Assert.Contains("Scheduled maintenance 'OS upgrade' (started 2026-12-01 01:00:00 UTC) is under way and may be related.", opened.Body, StringComparison.Ordinal);
    }
}
