using System.Text.Json;
using Candor.Configuration;

namespace Candor.Notifications.Channels;

/// <summary>A Slack incoming webhook: one message in Slack's mrkdwn.</summary>
public sealed class SlackChannel : INotificationChannel
{
    public string Type => "slack";

    public IEnumerable<ConfigProblem> Validate(ChannelConfig channel) => ChannelCatalog.RequireUrl(channel);

    public Task SendAsync(ChannelConfig channel, ResponderMessage message, ChannelTransport transport, CancellationToken cancellationToken) =>
        transport.Http.PostJsonAsync(
            channel.Url!,
            JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
            {
                ["text"] = $"*{message.Title}*\n{message.Text}\n<{message.Url}|Open the incident>",
            }),
            [],
            cancellationToken);
}
