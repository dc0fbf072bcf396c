using Candor.Configuration;

namespace Candor.Notifications;

/// <summary>The field of a subscription that is wrong, and why.</summary>
public sealed record SubscriptionProblem(string? Field, string Detail);

/// <summary>New subscribers from what an admin or a visitor typed, checked alike.</summary>
public static class NewSubscriber
{
    /// <summary>
    /// A subscriber added by an admin, through the API or the console. Whoever it is agreed elsewhere, so the
    /// subscription starts confirmed; a webhook gets a signing key when none is given.
    /// </summary>
    public static (Subscriber? Subscriber, SubscriptionProblem? Problem) ByAdmin(
        string? email, string? webhookUrl, IReadOnlyList<string>? components, string? secret, CandorConfig config, DateTimeOffset now)
    {
        if ((email is null) == (webhookUrl is null))
        {
            return (null, new(null, "send either 'email' or 'webhook_url'"));
        }

        if (Check(email, webhookUrl, components, config) is { } problem)
        {
            return (null, problem);
        }

        var subscriber = Build(email, webhookUrl, components, now);
        return (subscriber with { Secret = webhookUrl is null ? null : secret ?? subscriber.Secret, ConfirmedAt = now }, null);
    }

    /// <summary>
    /// A subscription a visitor asks for on the public page. It waits for the link mailed to <paramref name="email"/>:
    /// the address itself, or a webhook's contact. A URL cannot read a link, so the person who gave it must, before
    /// anything is sent to it; that person is also the one shown the webhook's signing key.
    /// </summary>
    public static (Subscriber? Subscriber, SubscriptionProblem? Problem) Requested(
        string? email, string? webhookUrl, IReadOnlyList<string>? components, CandorConfig config, DateTimeOffset now)
    {
        if (Check(email ?? "", webhookUrl, components, config) is { } problem)
        {
            return (null, problem);
        }

        return (Build(email, webhookUrl, components, now) with
        {
            ConfirmToken = Subscriber.NewToken(),
            ConfirmExpiresAt = now + Subscriber.ConfirmFor,
        }, null);
    }

    private static SubscriptionProblem? Check(string? email, string? webhookUrl, IReadOnlyList<string>? components, CandorConfig config)
    {
        if (email is not null && !EmailAddress.IsValid(email))
        {
            return new("email", email.Length == 0 ? "an e-mail address is needed" : $"'{email}' is not an e-mail address");
        }

        if (webhookUrl is not null && WebhookUrlProblem(webhookUrl, config.Notifications.PrivateWebhooks) is { } url)
        {
            return new("webhook_url", url);
        }

        return SubscriberApi.UnknownComponents(components, config) is { } unknown ? new("components", unknown) : null;
    }

    private static string? WebhookUrlProblem(string url, bool privateAllowed) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            ? $"'{url}' is not a URL: a webhook URL is whole, such as https://example.com/hooks/status"
            : parsed.Scheme is not ("http" or "https")
                ? $"'{url}' is not an http or https URL: webhooks are sent as HTTP requests"
                : !privateAllowed && WebhookAddresses.HostProblem(parsed) is { } host
                    ? $"'{url}' cannot be subscribed: {WebhookAddresses.Refusal(host)}"
                    : null;

    /// <param name="email">The address subscribed, or with <paramref name="webhookUrl"/> the webhook's contact.</param>
    private static Subscriber Build(string? email, string? webhookUrl, IReadOnlyList<string>? components, DateTimeOffset now) => new()
    {
        Id = Incidents.Ids.New(),
        Kind = webhookUrl is null ? SubscriberKind.Email : SubscriberKind.Webhook,
        Address = webhookUrl ?? EmailAddress.Normalize(email!),
        Contact = webhookUrl is null || email is null ? null : EmailAddress.Normalize(email),
        Components = components is null ? null : [.. components.Distinct()],
        Secret = webhookUrl is null ? null : Subscriber.NewToken(),
        Token = Subscriber.NewToken(),
        CreatedAt = now,
    };
}
