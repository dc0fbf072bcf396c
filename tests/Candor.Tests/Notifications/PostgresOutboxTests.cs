using Candor.Incidents;
using Candor.Notifications;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

/// <summary>The outbox on PostgreSQL, where several replicas claim at once and must never take the same row.</summary>
[Collection("postgres")]
public sealed class PostgresOutboxTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 17, 5, 0, TimeSpan.Zero);
    private readonly List<ICandorStore> _stores = [];
    private string _storage = "";

    public async Task InitializeAsync()
    {
        _storage = await server.CreateDatabaseAsync();
        await Open().MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Replicas_claiming_together_share_the_fan_out_without_overlap_and_dead_rows_can_be_retried()
    {
        var store = _stores[0];
        for (var i = 0; i < 40; i++)
        {
            await store.AddSubscriberAsync(Subscriber($"sub-{i:00}", i % 4 == 0 ? ["web"] : ["mail"]), CancellationToken.None);
        }

        var incident = new Incident { Id = "inc", Name = "Mail down", CreatedAt = T0, UpdatedAt = T0, StartedAt = T0, ComponentIds = ["mail"] };
        var opened = new IncidentEvent
        {
            Id = "evt",
            IncidentId = "inc",
            Kind = IncidentEventKind.Opened,
            At = T0,
            Status = IncidentStatus.Investigating,
            DeliverNotifications = true,
            NotifySubscribers = true,
        };
        var changes = new IncidentChanges([incident], [opened]) { ResponderChannels = ["ops"] };
        await store.SaveIncidentChangesAsync(changes, CancellationToken.None);
        await store.SaveIncidentChangesAsync(changes, CancellationToken.None);

        var replicas = Enumerable.Range(0, 4).Select(_ => Open()).ToList();
        var claims = await Task.WhenAll(replicas.Select(async replica =>
        {
            var mine = new List<OutboxEntry>();
            while (await replica.ClaimOutboxAsync(3, T0, T0.AddMinutes(1), CancellationToken.None) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed);
            }

            return mine;
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(31, all.Count);
        Assert.Equal(31, all.Select(e => e.Id).Distinct().Count());
        Assert.Single(all, e => e.RecipientKind == RecipientKind.Channel);
        Assert.DoesNotContain(all, e => e.RecipientId is "sub-00" or "sub-04");

        var first = all[0];
        await store.FinishOutboxAsync(
            [.. all.Skip(1).Select(e => new OutboxOutcome(e.Id, OutboxState.Sent, T0)), new OutboxOutcome(first.Id, OutboxState.Dead, T0, "550 no such mailbox")],
            CancellationToken.None);
        Assert.Equal(first.Id, Assert.Single(await store.GetOutboxAsync(OutboxState.Dead, null, 10, CancellationToken.None)).Id);
        Assert.True(await store.RetryOutboxAsync(first.Id, T0.AddMinutes(5), CancellationToken.None));
        var again = Assert.Single(await store.ClaimOutboxAsync(10, T0.AddMinutes(5), T0.AddMinutes(6), CancellationToken.None));
        Assert.Equal((first.Id, 1), (again.Id, again.Attempts));
    }

    private ICandorStore Open()
    {
        var store = StoreFactory.Create(_storage);
        _stores.Add(store);
        return store;
    }

    private static Subscriber Subscriber(string id, string[] components) => new()
    {
        Id = id,
        Kind = SubscriberKind.Email,
        Address = id + "@example.com",
        Components = components,
        Token = Candor.Notifications.Subscriber.NewToken(),
        ConfirmedAt = T0,
        CreatedAt = T0,
    };
}
