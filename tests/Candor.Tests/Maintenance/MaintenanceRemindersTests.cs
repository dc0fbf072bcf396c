using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Notifications;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Maintenance;

/// <summary>Subscribers of a window's components are told when it is announced and reminded 24 h and 1 h ahead.</summary>
public sealed class MaintenanceRemindersTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 23, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private IncidentSimulation _sim = null!;

    public async Task InitializeAsync() => _sim = await IncidentSimulation.StartAsync("""
        components: [ { id: storage, name: Storage }, { id: web, name: Website } ]
        monitors:
          - { id: storage-api, component: storage, type: scripted, interval: 5m, timeout: 10s }
        maintenance:
          - { id: os-upgrade, title: OS upgrade, components: [storage], starts: 2026-12-01T01:00:00Z, duration: 2h }

        """, _clock);

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task The_subscribers_of_its_components_are_reminded_a_day_and_an_hour_ahead_and_no_one_else()
    {
        var storage = await _sim.SubscribeAsync("ops@storage-customer.example", "storage");
        var web = await _sim.SubscribeAsync("someone@web-customer.example", "web");

        await _sim.RunForAsync(TimeSpan.FromHours(25.9), TimeSpan.FromMinutes(5), Outcome.Up);

        var events = await _sim.Store.GetMaintenanceEventsAsync("os-upgrade", CancellationToken.None);
        Assert.Equal([MaintenanceEventKind.Scheduled, MaintenanceEventKind.Reminder, MaintenanceEventKind.Reminder], events.Select(e => e.Kind));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero), events[1].At);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), events[2].At);
        Assert.Contains("starts at 2026-12-01 01:00 UTC", events[2].Body, StringComparison.Ordinal);

        var toStorage = await _sim.Store.GetOutboxAsync(null, storage, 100, CancellationToken.None);
        Assert.Equal(events.Select(e => e.Id).Order(), toStorage.Select(e => e.EventId).Order());
        Assert.All(toStorage, e => Assert.Equal(OutboxMessage.Maintenance, e.Message));
        Assert.Empty(await _sim.Store.GetOutboxAsync(null, web, 100, CancellationToken.None));
    }

}
