using System.Security.Cryptography;

namespace Candor.Notifications;

public enum SubscriberKind
{
    Email,
    Webhook,
}

/// <summary>
/// Someone outside who wants to be told: an e-mail address or a webhook URL, following some components or the
/// whole page. One who subscribed on the public page hears nothing until the link mailed to the address, or to
/// the webhook's contact, is followed (double opt-in); only the confirmation goes out before.
/// </summary>
public sealed record Subscriber
{
    /// <summary>How long a confirmation link works.</summary>
    public static readonly TimeSpan ConfirmFor = TimeSpan.FromHours(24);

    public required string Id { get; init; }

    public required SubscriberKind Kind { get; init; }

    /// <summary>The e-mail address (lower-cased) or the webhook URL.</summary>
    public required string Address { get; init; }

    /// <summary>For a webhook subscribed on the public page, the e-mail address that confirmed it.</summary>
    public string? Contact { get; init; }

    /// <summary>The components followed; null for the whole page.</summary>
    public IReadOnlyList<string>? Components { get; init; }

    /// <summary>The key webhook payloads are signed with.</summary>
    public string? Secret { get; init; }

    /// <summary>The secret in this subscriber's unsubscribe link.</summary>
    public required string Token { get; init; }

    public string? ConfirmToken { get; init; }

    public DateTimeOffset? ConfirmExpiresAt { get; init; }

    public DateTimeOffset? ConfirmedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public bool Confirmed => ConfirmedAt is not null;

    /// <summary>Whether an incident on these components concerns this subscriber.</summary>
    public bool Follows(IEnumerable<string> componentIds) => Components is null || componentIds.Any(Components.Contains);

    /// <summary>256 random bits, URL-safe: a link holding one is as good as a password for its subscription.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
