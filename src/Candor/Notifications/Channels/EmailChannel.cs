using Candor.Configuration;

namespace Candor.Notifications.Channels;

/// <summary>An e-mail to the responders' address (a pager gateway, an on-call list): plain text.</summary>
public sealed class EmailChannel : INotificationChannel
{
    public const string TypeName = "email";

    public string Type => TypeName;

    public IEnumerable<ConfigProblem> Validate(ChannelConfig channel)
    {
        if (!EmailAddress.IsValid(channel.To))
        {
            yield return new ConfigProblem(channel.To is null ? null : "to", "an email channel needs a to address, e.g. oncall@acme.example");
        }
    }

    public Task SendAsync(ChannelConfig channel, ResponderMessage message, ChannelTransport transport, CancellationToken cancellationToken) =>
        (transport.Mail ?? throw new DeliveryException("notifications.smtp is not configured", retryable: false)).SendAsync(
            new OutgoingMail(
                channel.To!, message.Title, $"{message.Text}\n\n{message.Url}\n", null, message.DeliveryId, new Dictionary<string, string>()),
            cancellationToken);
}
