using Candor.Incidents;
using Candor.Notifications;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace Candor.Tests.Notifications;

/// <summary>
/// The outbox rows of an event are written in the event's own transaction: a save that fails half-way through the
/// fan-out stores neither the event nor any message, and a save that is retried adds no second message.
/// </summary>
public sealed class OutboxAtomicityTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 17, 5, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private ICandorStore _store = null!;

    private string DatabasePath => Path.Combine(_dir.Path, "candor.db");

    public async Task InitializeAsync()
    {
        _store = StoreFactory.Create("sqlite:" + DatabasePath);
        await _store.MigrateAsync(CancellationToken.None);
        foreach (var (address, components, confirmed) in new (string, string[]?, bool)[]
        {
            ("page@example.com", null, true),
            ("mail-1@example.com", ["mail"], true),
            ("mail-2@example.com", ["mail", "web"], true),
            ("mail-3@example.com", ["mail"], true),
            ("web@example.com", ["web"], true),
            ("unconfirmed@example.com", ["mail"], false),
        })
        {
            Assert.True(await _store.AddSubscriberAsync(Subscriber(address, components, confirmed), CancellationToken.None));
        }
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_save_that_fails_in_the_middle_of_the_fan_out_stores_neither_the_event_nor_any_message()
    {
        var (incident, opened) = Opened();
        await ExecuteAsync("""
            CREATE TRIGGER fail_mid_fan_out AFTER INSERT ON outbox WHEN (SELECT COUNT(*) FROM outbox) >= 3
            BEGIN SELECT RAISE(ABORT, 'disk full'); END
            """);

        await Assert.ThrowsAsync<SqliteException>(() => _store.SaveIncidentChangesAsync(Changes(incident, opened), CancellationToken.None));
        await Assert.ThrowsAsync<SqliteException>(() => _store.SaveBatchAsync(
            new ResultBatch([], [], []) { Incidents = Changes(incident, opened) }, CancellationToken.None));

        Assert.Null(await _store.GetIncidentAsync(incident.Id, CancellationToken.None));
        Assert.Null(await _store.GetIncidentEventAsync(opened.Id, CancellationToken.None));
        Assert.Empty(await _store.GetOutboxAsync(null, null, 100, CancellationToken.None));
    }

    [Fact]
    public async Task A_stored_event_has_one_message_per_channel_and_per_confirmed_follower_and_a_retried_save_adds_none()
    {
        var (incident, opened) = Opened();

        await _store.SaveIncidentChangesAsync(Changes(incident, opened), CancellationToken.None);
        await _store.SaveBatchAsync(new ResultBatch([], [], []) { Incidents = Changes(incident, opened) }, CancellationToken.None);

        var outbox = await _store.GetOutboxAsync(null, null, 100, CancellationToken.None);
        var subscribers = (await _store.GetSubscribersAsync(CancellationToken.None)).ToDictionary(s => s.Id, s => s.Address);
        Assert.Equal(
            ["channel:ops", "channel:pager", "mail-1@example.com", "mail-2@example.com", "mail-3@example.com", "page@example.com"],
            outbox.Select(e => e.RecipientKind == RecipientKind.Channel ? "channel:" + e.RecipientId : subscribers[e.RecipientId]).Order(StringComparer.Ordinal));
        Assert.All(outbox, e => Assert.Equal((opened.Id, OutboxState.Pending), (e.EventId, e.State)));

        var claimed = await _store.ClaimOutboxAsync(10, T0, T0.AddMinutes(1), CancellationToken.None);
        Assert.Equal([RecipientKind.Channel, RecipientKind.Channel], claimed.Take(2).Select(e => e.RecipientKind));
        Assert.Empty(await _store.ClaimOutboxAsync(10, T0.AddSeconds(59), T0.AddMinutes(2), CancellationToken.None));
        Assert.Equal(6, (await _store.ClaimOutboxAsync(10, T0.AddMinutes(1), T0.AddMinutes(2), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task An_event_that_is_not_for_subscribers_reaches_only_the_channels()
    {
        var (incident, opened) = Opened();

        await _store.SaveIncidentChangesAsync(Changes(incident, opened with { NotifySubscribers = false }), CancellationToken.None);

        Assert.All(await _store.GetOutboxAsync(null, null, 100, CancellationToken.None), e => Assert.Equal(RecipientKind.Channel, e.RecipientKind));
    }

    private static (Incident Incident, IncidentEvent Opened) Opened()
    {
        var incident = new Incident
        {
            Id = "inc-mail",
            Name = "Support e-mail: major outage",
            CreatedAt = T0,
            UpdatedAt = T0,
            StartedAt = T0,
            ComponentIds = ["mail"],
            SubscribersNotified = true,
        };
        var opened = new IncidentEvent
        {
            Id = "evt-opened",
            IncidentId = incident.Id,
            Kind = IncidentEventKind.Opened,
            At = T0,
            Status = IncidentStatus.Investigating,
            Body = "We are investigating.",
            DeliverNotifications = true,
            NotifySubscribers = true,
        };
        return (incident, opened);
    }

    private static IncidentChanges Changes(Incident incident, IncidentEvent incidentEvent) =>
        new([incident], [incidentEvent]) { ResponderChannels = ["ops", "pager"] };

    private static Subscriber Subscriber(string address, string[]? components, bool confirmed) => new()
    {
        Id = "sub-" + address.Split('@')[0],
        Kind = SubscriberKind.Email,
        Address = address,
        Components = components,
        Token = Candor.Notifications.Subscriber.NewToken(),
        ConfirmToken = confirmed ? null : Candor.Notifications.Subscriber.NewToken(),
        ConfirmExpiresAt = confirmed ? null : T0.AddDays(1),
        ConfirmedAt = confirmed ? T0 : null,
        CreatedAt = T0,
    };

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
