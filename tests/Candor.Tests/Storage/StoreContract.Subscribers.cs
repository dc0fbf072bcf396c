using Candor.Notifications;

namespace Candor.Tests.Storage;

public abstract partial class StoreContract
{
    [Fact]
    public async Task A_requested_webhook_keeps_its_contact_and_is_found_by_its_link_until_it_is_confirmed()
    {
        Assert.True(await Store.RequestSubscriptionAsync(RequestedWebhook("s1", "ops@example.com", "key-1", "confirm-1"), Ct));

        var found = await Store.FindPendingSubscriberAsync("confirm-1", T0.AddHours(1), Ct);
        Assert.Equal(("ops@example.com", "key-1", false), (found!.Contact, found.Secret, found.Confirmed));
        Assert.Equal(["api"], found.Components!);
        Assert.Null(await Store.FindPendingSubscriberAsync("confirm-1", T0.AddHours(24), Ct));
        Assert.False((await Store.GetSubscriberAsync("s1", Ct))!.Confirmed);
    }

    [Fact]
    public async Task A_second_request_for_an_unconfirmed_webhook_replaces_its_link_contact_and_key_and_one_for_a_confirmed_one_is_refused()
    {
        Assert.True(await Store.RequestSubscriptionAsync(RequestedWebhook("s1", "someone@example.com", "key-1", "confirm-1"), Ct));
        Assert.True(await Store.RequestSubscriptionAsync(RequestedWebhook("s2", "owner@example.com", "key-2", "confirm-2") with { Components = null }, Ct));
        Assert.Null(await Store.ConfirmSubscriberAsync("confirm-1", T0.AddHours(1), Ct));
        var confirmed = await Store.ConfirmSubscriberAsync("confirm-2", T0.AddHours(1), Ct);

        Assert.Equal(("s1", "owner@example.com", "key-2", true), (confirmed!.Id, confirmed.Contact, confirmed.Secret, confirmed.Confirmed));
        Assert.Null(confirmed.Components);
        Assert.Null(await Store.FindPendingSubscriberAsync("confirm-2", T0.AddHours(1), Ct));
        Assert.False(await Store.RequestSubscriptionAsync(RequestedWebhook("s3", "someone@example.com", "key-3", "confirm-3"), Ct));
        var stored = Assert.Single(await Store.GetSubscribersAsync(Ct));
        Assert.Equal(("owner@example.com", "key-2"), (stored.Contact, stored.Secret));
    }

    /// <summary>One and the same webhook URL, as a visitor asks for it on the public page, with a link good for a day.</summary>
    private static Subscriber RequestedWebhook(string id, string contact, string secret, string confirmToken) => new()
    {
        Id = id,
        Kind = SubscriberKind.Webhook,
        Address = "https://hooks.example.com/status",
        Contact = contact,
        Components = ["api"],
        Secret = secret,
        Token = "unsubscribe-" + id,
        ConfirmToken = confirmToken,
        ConfirmExpiresAt = T0.AddHours(24),
        CreatedAt = T0,
    };
}
