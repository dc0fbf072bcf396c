using System.Security.Cryptography;
using System.Text;

namespace Candor.Notifications;

/// <summary>What a row of the outbox carries to its recipient.</summary>
public enum OutboxMessage
{
    /// <summary>An incident event: opened, an update, monitoring, regressed, resolved.</summary>
    Incident,

    /// <summary>The double opt-in link to a new e-mail subscriber.</summary>
    Confirmation,

    /// <summary>A maintenance event: scheduled, reminder, started, extended, completed, failed, cancelled.</summary>
    Maintenance,
}

public enum RecipientKind
{
    /// <summary>A responders' channel of the config: told first.</summary>
    Channel,

    Subscriber,
}

/// <summary>
/// pending → sending (claimed, with a lease) → sent; or back to pending with a later attempt time; or dead after
/// too many failures (retryable by an admin); or cancelled when the recipient is gone.
/// </summary>
public enum OutboxState
{
    Pending,
    Sending,
    Sent,
    Dead,
    Cancelled,
}

/// <summary>One message to one recipient, kept until it is delivered.</summary>
public sealed record OutboxEntry
{
    public required long Id { get; init; }

    /// <summary>The incident or maintenance event; for a confirmation, <c>confirm:</c> and the confirmation token.</summary>
    public required string EventId { get; init; }

    public string? IncidentId { get; init; }

    public required OutboxMessage Message { get; init; }

    public required RecipientKind RecipientKind { get; init; }

    /// <summary>The channel id of the config, or the subscriber id.</summary>
    public required string RecipientId { get; init; }

    public required OutboxState State { get; init; }

    /// <summary>Attempts started, counting the one in flight.</summary>
    public int Attempts { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>
    /// The same for every attempt at this (event, recipient), and different for every other pair: the e-mail's
    /// Message-ID and the webhook's delivery id, which let a receiver drop a copy it already has.
    /// </summary>
    public string DeliveryId
    {
        get
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(Encoding.UTF8.GetBytes($"{EventId}\n{RecipientKind}\n{RecipientId}"), hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
    }

    public static string ConfirmationEventId(string confirmToken) => "confirm:" + confirmToken;
}

/// <summary>What became of a claimed message, as <see cref="Storage.ICandorStore.FinishOutboxAsync"/> records it.</summary>
/// <param name="At">When it was sent, or when to try it again (pending); ignored for dead and cancelled.</param>
/// <param name="Attempted">
/// False for a message given back without being tried (its server stopped before it came to it): the claim that
/// counted an attempt is taken back, and its last error stays.
/// </param>
public sealed record OutboxOutcome(long Id, OutboxState State, DateTimeOffset At, string? Error = null, bool Attempted = true)
{
    public static OutboxOutcome GivenBack(long id, DateTimeOffset at) => new(id, OutboxState.Pending, at, Attempted: false);
}
