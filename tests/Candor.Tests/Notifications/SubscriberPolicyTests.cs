using Candor.Incidents;
using Candor.Monitoring;
using Candor.Notifications;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

/// <summary>
/// Who is told of an automatic incident, and when, under `notify_subscribers`: responders at once in any case;
/// subscribers at once under auto, and under manual only from the first update a person publishes.
/// </summary>
public sealed class SubscriberPolicyTests
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("auto")]
    [InlineData("manual")]
    public async Task Responders_hear_a_confirmed_failure_at_once_and_subscribers_per_the_policy(string policy)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 3, 17, 0, 0, TimeSpan.Zero));
        await using var sim = await IncidentSimulation.StartAsync($$"""
            components: [ { id: mail, name: Support e-mail }, { id: web, name: Website } ]
            monitors:
              - { id: mail-smtp, component: mail, type: scripted, interval: 30s, timeout: 10s }
            incidents: { confirm_after: 2, verify_for: 5m, notify_subscribers: {{policy}} }
            notifications:
              channels: [ { id: ops, type: slack, url: "https://hooks.slack.example/T0/B0/x" } ]

            """, clock);
        await sim.Store.AddSubscriberAsync(Subscriber("sub-mail", ["mail"], clock.GetUtcNow()), CancellationToken.None);
        await sim.Store.AddSubscriberAsync(Subscriber("sub-web", ["web"], clock.GetUtcNow()), CancellationToken.None);

        await sim.RunForAsync(Every * 3, Every, Outcome.Down);
        var incident = await sim.OnlyIncidentAsync();
        Assert.Equal(
            policy == "auto" ? ["ops", "sub-mail"] : ["ops"],
            await RecipientsAsync(sim, incident.Id, IncidentEventKind.Opened));

        await sim.Engine.PostUpdateAsync(
            incident.Id, IncidentStatus.Identified, "A certificate expired.", "Re-send your e-mail.", "dana", clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(["ops", "sub-mail"], await RecipientsAsync(sim, incident.Id, IncidentEventKind.Update));

        // Once told, subscribers hear the rest, Candor's own events included; the web subscriber never does.
        await sim.RunForAsync(Every * 2, Every, Outcome.Up);
        Assert.Equal(["ops", "sub-mail"], await RecipientsAsync(sim, incident.Id, IncidentEventKind.Transition));
    }

    /// <returns>The recipients of the outbox rows of the incident's (only) event of that kind, sorted.</returns>
    private static async Task<List<string>> RecipientsAsync(IncidentSimulation sim, string incidentId, IncidentEventKind kind)
    {
        var incidentEvent = (await sim.TimelineAsync(incidentId)).Single(e => e.Kind == kind);
        return [.. (await sim.Store.GetOutboxAsync(null, null, 100, CancellationToken.None))
            .Where(e => e.EventId == incidentEvent.Id)
            .Select(e => e.RecipientId)
            .Order(StringComparer.Ordinal)];
    }

    private static Subscriber Subscriber(string id, string[] components, DateTimeOffset now) => new()
    {
        Id = id,
        Kind = SubscriberKind.Email,
        Address = id + "@example.com",
        Components = components,
        Token = Candor.Notifications.Subscriber.NewToken(),
        ConfirmedAt = now,
        CreatedAt = now,
    };
}
