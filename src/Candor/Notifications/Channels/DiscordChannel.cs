using System.Text.Json;
using Candor.Configuration;

namespace Candor.Notifications.Channels;

/// <summary>A Discord webhook: one message, cut to Discord's 2,000 characters.</summary>
public sealed class DiscordChannel : INotificationChannel
{
    private const int MaxLength = 2000;

    public string Type => "discord";

    public IEnumerable<ConfigProblem> Validate(ChannelConfig channel) => ChannelCatalog.RequireUrl(channel);

    public Task SendAsync(ChannelConfig channel, ResponderMessage message, ChannelTransport transport, CancellationToken cancellationToken)
    {
        var content = $"**{message.Title}**\n{message.Text}\n{message.Url}";
        if (content.Length > MaxLength)
        {
            content = content[..(MaxLength - 1)] + "…";
        }

        return transport.Http.PostJsonAsync(
            channel.Url!,
            JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["content"] = content,
                ["allowed_mentions"] = new Dictionary<string, object> { ["parse"] = Array.Empty<string>() },
            }),
            [],
            cancellationToken);
    }
}
