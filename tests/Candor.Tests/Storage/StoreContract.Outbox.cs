using Candor.Incidents;
using Candor.Notifications;
using Candor.Storage;

namespace Candor.Tests.Storage;

public abstract partial class StoreContract
{
    [Fact]
    public async Task A_claim_takes_a_batch_of_due_messages_channels_first_each_leased_and_counted_as_an_attempt()
    {
        await FanOutAsync(subscribers: 6);

        var first = await Store.ClaimOutboxAsync(5, T0, T0.AddMinutes(1), Ct);
        var second = await Store.ClaimOutboxAsync(5, T0, T0.AddMinutes(1), Ct);

        Assert.Equal(5, first.Count);
        Assert.Equal([RecipientKind.Channel, RecipientKind.Channel], first.Take(2).Select(e => e.RecipientKind));
        Assert.Equal(3, second.Count);
        Assert.Empty(first.Select(e => e.Id).Intersect(second.Select(e => e.Id)));
        Assert.All(first.Concat(second), e => Assert.Equal((OutboxState.Sending, 1, T0.AddMinutes(1)), (e.State, e.Attempts, e.LeaseUntil)));
        Assert.Empty(await Store.ClaimOutboxAsync(5, T0.AddSeconds(59), T0.AddMinutes(2), Ct));
    }

    [Fact]
    public async Task A_lease_that_ran_out_lets_another_server_take_the_message_and_the_first_can_no_longer_renew_it()
    {
        await FanOutAsync(subscribers: 1);
        var held = (await Store.ClaimOutboxAsync(10, T0, T0.AddMinutes(1), Ct)).Single(e => e.RecipientKind == RecipientKind.Subscriber);

        Assert.True(await Store.RenewOutboxLeaseAsync(held.Id, T0.AddMinutes(1), T0.AddMinutes(2), Ct));
        Assert.DoesNotContain(held.Id, (await Store.ClaimOutboxAsync(10, T0.AddMinutes(1), T0.AddMinutes(3), Ct)).Select(e => e.Id));

        var taken = Assert.Single(await Store.ClaimOutboxAsync(10, T0.AddMinutes(2), T0.AddMinutes(4), Ct), e => e.Id == held.Id);
        Assert.Equal((2, T0.AddMinutes(4)), (taken.Attempts, taken.LeaseUntil));
        Assert.False(await Store.RenewOutboxLeaseAsync(held.Id, T0.AddMinutes(2), T0.AddMinutes(5), Ct));
        Assert.True(await Store.RenewOutboxLeaseAsync(held.Id, T0.AddMinutes(4), T0.AddMinutes(5), Ct));
    }

    [Fact]
    public async Task The_outcomes_of_a_batch_are_recorded_together_and_a_message_given_back_untried_keeps_its_attempts()
    {
        await FanOutAsync(subscribers: 3);
        var claimed = await Store.ClaimOutboxAsync(10, T0, T0.AddMinutes(1), Ct);
        Assert.Equal(5, claimed.Count);
        var (sent, retried, dead, cancelled, givenBack) = (claimed[0], claimed[1], claimed[2], claimed[3], claimed[4]);

        await Store.FinishOutboxAsync(
            [
                new OutboxOutcome(sent.Id, OutboxState.Sent, T0.AddSeconds(1)),
                new OutboxOutcome(retried.Id, OutboxState.Pending, T0.AddMinutes(5), "421 try later"),
                new OutboxOutcome(dead.Id, OutboxState.Dead, T0.AddSeconds(1), "550 no such mailbox"),
                new OutboxOutcome(cancelled.Id, OutboxState.Cancelled, T0.AddSeconds(1)),
                OutboxOutcome.GivenBack(givenBack.Id, T0.AddSeconds(1)),
            ],
            Ct);

        var rows = (await Store.GetOutboxAsync(null, null, 10, Ct)).ToDictionary(e => e.Id);
        Assert.Equal((OutboxState.Sent, T0.AddSeconds(1), null), (rows[sent.Id].State, rows[sent.Id].SentAt, rows[sent.Id].LeaseUntil));
        Assert.Equal(
            (OutboxState.Pending, T0.AddMinutes(5), "421 try later", 1),
            (rows[retried.Id].State, rows[retried.Id].NextAttemptAt, rows[retried.Id].LastError, rows[retried.Id].Attempts));
        Assert.Equal((OutboxState.Dead, "550 no such mailbox"), (rows[dead.Id].State, rows[dead.Id].LastError));
        Assert.Equal(OutboxState.Cancelled, rows[cancelled.Id].State);
        Assert.Equal((OutboxState.Pending, 0, null), (rows[givenBack.Id].State, rows[givenBack.Id].Attempts, rows[givenBack.Id].LeaseUntil));

        var again = Assert.Single(await Store.ClaimOutboxAsync(10, T0.AddSeconds(1), T0.AddMinutes(2), Ct));
        Assert.Equal((givenBack.Id, 1), (again.Id, again.Attempts));
    }

    [Fact]
    public async Task An_outcome_for_a_message_that_is_no_longer_sending_changes_nothing()
    {
        await FanOutAsync(subscribers: 1);
        var claimed = await Store.ClaimOutboxAsync(10, T0, T0.AddMinutes(1), Ct);
        await Store.FinishOutboxAsync([.. claimed.Select(e => new OutboxOutcome(e.Id, OutboxState.Sent, T0.AddSeconds(1)))], Ct);

        await Store.FinishOutboxAsync(
            [new OutboxOutcome(claimed[0].Id, OutboxState.Dead, T0.AddSeconds(2), "late"), OutboxOutcome.GivenBack(claimed[1].Id, T0)], Ct);

        Assert.All(await Store.GetOutboxAsync(null, null, 10, Ct), e => Assert.Equal((OutboxState.Sent, T0.AddSeconds(1)), (e.State, e.SentAt)));
        Assert.False(await Store.RenewOutboxLeaseAsync(claimed[0].Id, T0.AddMinutes(1), T0.AddMinutes(2), Ct));
    }

    [Fact]
    public async Task Subscribers_are_read_by_id_in_bulk_with_their_components_and_unknown_ids_are_skipped()
    {
        await Store.AddSubscriberAsync(OutboxSubscriber("a", ["web", "mail"]), Ct);
        await Store.AddSubscriberAsync(OutboxSubscriber("b", null), Ct);
        await Store.AddSubscriberAsync(OutboxSubscriber("c", ["web"]), Ct);

        // A long list, as a claim of a fan-out brings, and an id twice.
        var ids = Enumerable.Range(0, 1200).Select(i => $"missing-{i}").Append("sub-a").Append("sub-b").Append("sub-a").ToList();
        var found = (await Store.GetSubscribersAsync(ids, Ct)).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

        Assert.Equal(["sub-a", "sub-b"], found.Select(s => s.Id));
        Assert.Equal(["mail", "web"], found[0].Components);
        Assert.Null(found[1].Components);
        Assert.Empty(await Store.GetSubscribersAsync([], Ct));
    }

    /// <summary>An incident event told to two responders' channels and to as many e-mail subscribers as asked.</summary>
    private async Task FanOutAsync(int subscribers)
    {
        for (var i = 0; i < subscribers; i++)
        {
            await Store.AddSubscriberAsync(OutboxSubscriber($"{i}", ["mail"]), Ct);
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
        await Store.SaveIncidentChangesAsync(new IncidentChanges([incident], [opened]) { ResponderChannels = ["ops", "pager"] }, Ct);
    }

    private static Subscriber OutboxSubscriber(string name, string[]? components) => new()
    {
        Id = "sub-" + name,
        Kind = SubscriberKind.Email,
        Address = name + "@example.com",
        Components = components,
        Token = Subscriber.NewToken(),
        ConfirmedAt = T0,
        CreatedAt = T0,
    };
}
