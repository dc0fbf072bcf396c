using Candor.Configuration;

namespace Candor.Notifications.Channels;

/// <summary>
/// A generic webhook: the same Statuspage-shaped JSON as webhook subscribers get, signed when the channel has
/// a secret, with the stable delivery id that lets the receiver drop a repeat.
/// </summary>
public sealed class WebhookChannel : INotificationChannel
{
    public string Type => "webhook";

    public IEnumerable<ConfigProblem> Validate(ChannelConfig channel) => ChannelCatalog.RequireUrl(channel);

    public Task SendAsync(ChannelConfig channel, ResponderMessage message, ChannelTransport transport, CancellationToken cancellationToken) =>
        transport.Http.PostJsonAsync(
            channel.Url!, message.Json, WebhookSignature.Headers(message.DeliveryId, message.Json, channel.Secret, transport.Clock.GetUtcNow()), cancellationToken);
}
