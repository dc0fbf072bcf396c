using Candor.Notifications;

namespace Candor.Tests.Fixtures;

/// <summary>Subscribers as an admin adds them: already confirmed, ready to be stored.</summary>
public static class ConfirmedSubscriber
{
    public static Subscriber Email(string id, string address, IReadOnlyList<string> components, DateTimeOffset at) => new()
    {
        Id = id,
        Kind = SubscriberKind.Email,
        Address = address,
        Components = components,
        Token = Subscriber.NewToken(),
        ConfirmedAt = at,
        CreatedAt = at,
    };

    public static Subscriber Webhook(string id, string url, IReadOnlyList<string> components, DateTimeOffset at) => new()
    {
        Id = id,
        Kind = SubscriberKind.Webhook,
        Address = url,
        Components = components,
        Secret = Subscriber.NewToken(),
        Token = Subscriber.NewToken(),
        ConfirmedAt = at,
        CreatedAt = at,
    };
}
