using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;

namespace Candor.Notifications;

/// <param name="MessageId">Without the angle brackets or the domain: the delivery id.</param>
/// <param name="Headers">Further headers, such as List-Unsubscribe.</param>
public sealed record OutgoingMail(
    string To, string Subject, string Text, string? Html, string MessageId, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Sends e-mail through the configured relay with <see cref="SmtpClient"/>, which sets headers as given (the
/// Message-ID, List-Unsubscribe) and builds the multipart/alternative body; it speaks STARTTLS but not
/// implicit TLS on port 465, so a relay is reached on 587 or 25.
/// </summary>
public sealed class Mailer(SmtpConfig config, string senderName)
{
    public string MessageIdOf(string deliveryId) => $"<{deliveryId}@{config.FromDomain}>";

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        using var message = new MailMessage(new MailAddress(config.From, senderName, Encoding.UTF8), new MailAddress(mail.To))
        {
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = mail.Text,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            HeadersEncoding = Encoding.UTF8,
        };
        if (mail.Html is not null)
        {
            var html = AlternateView.CreateAlternateViewFromString(mail.Html, Encoding.UTF8, MediaTypeNames.Text.Html);
            html.TransferEncoding = TransferEncoding.QuotedPrintable;
            message.AlternateViews.Add(html);
        }

        message.Headers.Add("Message-ID", MessageIdOf(mail.MessageId));
        foreach (var (name, value) in mail.Headers)
        {
            message.Headers.Add(name, value);
        }

        using var client = new SmtpClient(config.Host, config.Port)
        {
            EnableSsl = config.Starttls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Credentials = config.User is null ? null : new NetworkCredential(config.User, config.Password),
        };
        try
        {
            await client.SendMailAsync(message, cancellationToken);
        }
        catch (SmtpException exception)
        {
            // 5xx replies are the relay's final word about this message; anything else (4xx, a dropped
            // connection) may pass.
            throw new DeliveryException(
                $"SMTP {config.Host}:{config.Port}: {exception.Message}", retryable: (int)exception.StatusCode is < 500, exception);
        }
    }
}
