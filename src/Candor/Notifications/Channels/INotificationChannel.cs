using Candor.Configuration;

namespace Candor.Notifications.Channels;

/// <summary>How a channel reaches the outside: the one HTTP helper, the mailer when SMTP is configured, the clock.</summary>
public sealed record ChannelTransport(NotificationHttp Http, Mailer? Mail, TimeProvider Clock);

/// <summary>
/// One kind of responders' channel. A channel is stateless: its settings come with each message, so one
/// instance serves every channel of its type. A new channel is one class and one line in <see cref="ChannelCatalog"/>.
/// </summary>
public interface INotificationChannel
{
    /// <summary>The <c>type:</c> of the config.</summary>
    string Type { get; }

    IEnumerable<ConfigProblem> Validate(ChannelConfig channel);

    /// <summary>Delivers, or throws (a <see cref="DeliveryException"/> says whether retrying can help).</summary>
    Task SendAsync(ChannelConfig channel, ResponderMessage message, ChannelTransport transport, CancellationToken cancellationToken);
}

/// <summary>Every channel type.</summary>
public static class ChannelCatalog
{
    public static readonly IReadOnlyList<INotificationChannel> All =
    [
        new SlackChannel(),
        new TeamsChannel(),
        new DiscordChannel(),
        new WebhookChannel(),
        new EmailChannel(),
    ];

    public static INotificationChannel? Find(string type) => All.FirstOrDefault(c => c.Type == type);

    /// <summary>The check every channel that posts to a URL makes.</summary>
    internal static IEnumerable<ConfigProblem> RequireUrl(ChannelConfig channel)
    {
        if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return new ConfigProblem(channel.Url is null ? null : "url", $"a {channel.Type} channel needs a url: its http(s) webhook address");
        }
    }
}
