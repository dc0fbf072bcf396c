using System.Text.Json;
using Candor.Configuration;

namespace Candor.Notifications.Channels;

/// <summary>A Microsoft Teams workflow webhook: an Adaptive Card with the title, the text and a link.</summary>
public sealed class TeamsChannel : INotificationChannel
{
    public string Type => "teams";

    public IEnumerable<ConfigProblem> Validate(ChannelConfig channel) => ChannelCatalog.RequireUrl(channel);

    public Task SendAsync(ChannelConfig channel, ResponderMessage message, ChannelTransport transport, CancellationToken cancellationToken)
    {
        var card = new Dictionary<string, object>
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.4",
            ["body"] = new object[]
            {
                new Dictionary<string, object> { ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["wrap"] = true },
                new Dictionary<string, object> { ["type"] = "TextBlock", ["text"] = message.Text, ["wrap"] = true },
            },
            ["actions"] = new object[]
            {
                new Dictionary<string, object> { ["type"] = "Action.OpenUrl", ["title"] = "Open the incident", ["url"] = message.Url },
            },
        };
        var body = new Dictionary<string, object>
        {
            ["type"] = "message",
            ["attachments"] = new object[]
            {
                new Dictionary<string, object> { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["content"] = card },
            },
        };
        return transport.Http.PostJsonAsync(channel.Url!, JsonSerializer.SerializeToUtf8Bytes(body), [], cancellationToken);
    }
}
