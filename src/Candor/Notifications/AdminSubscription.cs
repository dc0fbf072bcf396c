using Candor.Configuration;

namespace Candor.Notifications;

/// <summary>The field of a subscription that is wrong, and why.</summary>
public sealed record SubscriptionProblem(string? Field, string Detail);

/// <summary>
/// A subscriber added by an admin, through the API or the console. Whoever it is agreed elsewhere, so the
/// subscription starts confirmed; a webhook gets a signing key when none is given.
/// </summary>
public static class AdminSubscription
{
    public static (Subscriber? Subscriber, SubscriptionProblem? Problem) Create(
        string? email, string? webhookUrl, IReadOnlyList<string>? components, string? secret, CandorConfig config, DateTimeOffset now)
    {
        if ((email is null) == (webhookUrl is null))
        {
            return (null, new(null, "send either 'email' or 'webhook_url'"));
        }

        if (email is not null && !EmailAddress.IsValid(email))
        {
            return (null, new("email", $"'{email}' is not an e-mail address"));
        }

        if (webhookUrl is not null
            && (!Uri.TryCreate(webhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            return (null, new("webhook_url", "'webhook_url' must be an absolute http(s) URL"));
        }

        if (SubscriberApi.UnknownComponents(components, config) is { } unknown)
        {
            return (null, new("components", unknown));
        }

        return (new Subscriber
        {
            Id = Incidents.Ids.New(),
            Kind = email is null ? SubscriberKind.Webhook : SubscriberKind.Email,
            Address = email is null ? webhookUrl! : EmailAddress.Normalize(email),
            Components = components is null ? null : [.. components.Distinct()],
            Secret = email is null ? secret ?? Subscriber.NewToken() : null,
            Token = Subscriber.NewToken(),
            ConfirmedAt = now,
            CreatedAt = now,
        }, null);
    }
}
