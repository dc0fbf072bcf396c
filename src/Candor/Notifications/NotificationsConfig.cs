using Candor.Configuration;
using Candor.Notifications.Channels;

namespace Candor.Notifications;

/// <summary>The `notifications:` section: how mail goes out, the responders' channels, and delivery pacing.</summary>
public sealed record NotificationsConfig : IValidatableConfig
{
    /// <summary>The relay that e-mail goes through; without it there are no e-mail subscribers or channels.</summary>
    public SmtpConfig? Smtp { get; init; }

    /// <summary>The responders' own channels, told of every confirmed failure before anyone acts.</summary>
    public IReadOnlyList<ChannelConfig> Channels { get; init; } = [];

    /// <summary>A folder whose template files replace the built-in ones of the same name.</summary>
    public string? Templates { get; init; }

    /// <summary>The wait after the first failed attempt; it doubles after each further one, up to an hour.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a message is dead-lettered.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The longest one delivery may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>E-mails in flight at once, per server: the connections to the relay.</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>
    /// Webhook and chat posts in flight at once, per server. Each subscriber's webhook is a server of its own, and
    /// over the internet a post takes tens to hundreds of milliseconds: 10,000 subscribers at 200 ms a post take
    /// 8 minutes four at a time, one minute 32 at a time.
    /// </summary>
    public int WebhookParallel { get; init; } = 32;

    /// <summary>
    /// Whether subscribers' webhooks may point at loopback, private and link-local addresses: only where every
    /// subscriber is trusted, since anyone can ask for a webhook on the public page (see <see cref="WebhookAddresses"/>).
    /// </summary>
    public bool PrivateWebhooks { get; init; }

    /// <summary>How long before a maintenance window its subscribers are reminded of it.</summary>
    public IReadOnlyList<TimeSpan> MaintenanceReminders { get; init; } = [TimeSpan.FromHours(24), TimeSpan.FromHours(1)];

    /// <summary>Subscribe requests allowed per client address per hour.</summary>
    public int SubscribeLimit { get; init; } = 10;

    /// <summary>
    /// How long a claimed message belongs to the server that claimed it. Twice the timeout: a delivery that
    /// is still running by then cannot be, so its server has died and another may take the message over.
    /// </summary>
    public TimeSpan Lease => Timeout * 2;

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (Backoff <= TimeSpan.Zero)
        {
            yield return new ConfigProblem("backoff", "backoff must be more than 0");
        }

        if (MaxAttempts < 1)
        {
            yield return new ConfigProblem("max_attempts", "max_attempts must be at least 1");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return new ConfigProblem("timeout", "timeout must be more than 0");
        }

        if (Parallel is < 1 or > 64)
        {
            yield return new ConfigProblem("parallel", "parallel must be from 1 to 64");
        }

        if (WebhookParallel is < 1 or > 256)
        {
            yield return new ConfigProblem("webhook_parallel", "webhook_parallel must be from 1 to 256");
        }

        if (SubscribeLimit < 1)
        {
            yield return new ConfigProblem("subscribe_limit", "subscribe_limit must be at least 1");
        }

        if (Templates is not null && !Directory.Exists(Templates))
        {
            yield return new ConfigProblem("templates", $"the templates folder '{Templates}' does not exist");
        }

        foreach (var duplicate in Channels.GroupBy(c => c.Id).Where(g => g.Key.Length > 0 && g.Count() > 1))
        {
            yield return new ConfigProblem("channels", $"duplicate channel id '{duplicate.Key}'");
        }

        if (Smtp is null && Channels.FirstOrDefault(c => c.Type == EmailChannel.TypeName) is { } email)
        {
            yield return new ConfigProblem("channels", $"channel '{email.Id}' sends e-mail, which needs notifications.smtp");
        }
    }
}

public sealed record SmtpConfig : IValidatableConfig
{
    public string Host { get; init; } = "";

    public int Port { get; init; } = 587;

    /// <summary>The sender address; the Message-IDs are made in its domain.</summary>
    public string From { get; init; } = "";

    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>Upgrade the connection with STARTTLS before anything else is said; only a local relay may do without.</summary>
    public bool Starttls { get; init; } = true;

    public string FromDomain => From[(From.LastIndexOf('@') + 1)..];

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new ConfigProblem(null, "smtp needs a host");
        }

        if (Port is < 1 or > 65535)
        {
            yield return new ConfigProblem("port", "port must be from 1 to 65535");
        }

        if (!EmailAddress.IsValid(From))
        {
            yield return new ConfigProblem(string.IsNullOrEmpty(From) ? null : "from", "smtp needs a from address, e.g. status@acme.example");
        }

        if ((User is null) != (Password is null))
        {
            yield return new ConfigProblem(User is null ? "password" : "user", "user and password go together");
        }
    }
}

/// <summary>One responders' channel: a chat webhook, a generic webhook, or an e-mail address.</summary>
public sealed record ChannelConfig : IValidatableConfig
{
    public string Id { get; init; } = "";

    /// <summary>One of the types in <see cref="ChannelCatalog"/>.</summary>
    public string Type { get; init; } = "";

    /// <summary>Where a webhook-style channel posts.</summary>
    public string? Url { get; init; }

    /// <summary>Where an e-mail channel writes.</summary>
    public string? To { get; init; }

    /// <summary>The key a webhook channel signs its payloads with, if any.</summary>
    public string? Secret { get; init; }

    /// <summary>
    /// Whether this channel is also told when a check fails inside a maintenance window: such failures open no
    /// incident, but the people doing the work may want to know at once.
    /// </summary>
    public bool Maintenance { get; init; }

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (Id.Length == 0)
        {
            yield return new ConfigProblem(null, "a channel needs an id");
        }

        if (ChannelCatalog.Find(Type) is not { } channel)
        {
            yield return new ConfigProblem(
                Type.Length == 0 ? null : "type",
                $"'{Type}' is not a channel type; the types are: {string.Join(", ", ChannelCatalog.All.Select(c => c.Type))}");
            yield break;
        }

        foreach (var problem in channel.Validate(this))
        {
            yield return problem;
        }
    }
}
