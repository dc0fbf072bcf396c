using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Candor.Notifications;

/// <param name="MessageId">Without the angle brackets or the domain: the delivery id.</param>
/// <param name="Headers">Further headers, such as List-Unsubscribe.</param>
public sealed record OutgoingMail(
    string To, string Subject, string Text, string? Html, string MessageId, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Sends e-mail through the configured relay over a few connections kept open, one per delivery in flight at most,
/// each carrying message after message: a new connection, with its greeting, STARTTLS and AUTH, costs many round
/// trips, a message on an open one four. It speaks STARTTLS but not implicit TLS on port 465, so a relay is reached
/// on 587 or 25.
/// </summary>
/// <remarks>
/// A connection that sat idle longer than <see cref="IdleLimit"/> is closed rather than used again, and one the relay
/// closed meanwhile is found out before use; should the relay still drop a kept-open connection under a message, the
/// message goes again at once on a new one, provided its data had not gone out yet: before the final dot the relay
/// cannot have taken it.
/// </remarks>
public sealed class Mailer(SmtpConfig config, string senderName, int connections, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>Well inside the five minutes that RFC 5321 asks relays to wait for a command.</summary>
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a connection may sit idle and still be taken without asking the kernel whether the relay closed it:
    /// relays close idle connections after many seconds, and one dropped sooner is replaced all the same.
    /// </summary>
    private static readonly TimeSpan UnpolledIdle = TimeSpan.FromSeconds(1);

    private readonly ConcurrentStack<SmtpSession> _idle = new();
    private readonly string _clientName = ClientName();

    public string MessageIdOf(string deliveryId) => $"<{deliveryId}@{config.FromDomain}>";

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var to = AsciiAddress(mail.To);
        var message = MailText.Compose(config.From, senderName, mail, MessageIdOf(mail.MessageId), clock.GetUtcNow());
        var session = Take();
        var kept = session is not null;
        while (true)
        {
            session ??= await SmtpSession.OpenAsync(config, _clientName, cancellationToken);
            try
            {
                await session.SendAsync(config.From, to, message, cancellationToken);
                Keep(session);
                return;
            }
            catch (DeliveryException) when (kept && session.Broken && !session.Handed)
            {
                await session.DisposeAsync();
                session = null;
                kept = false;
            }
            catch (Exception exception)
            {
                // A refusal leaves the connection fit for the next message once the transaction is reset.
                if (exception is DeliveryException && !session.Broken && await session.ResetAsync(cancellationToken))
                {
                    Keep(session);
                }
                else
                {
                    await session.DisposeAsync();
                }

                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryPop(out var session))
        {
            await session.DisposeAsync();
        }
    }

    /// <summary>The name this host gives in EHLO: the machine's own, as the relay's logs will show it.</summary>
    private static string ClientName()
    {
        try
        {
            return new IdnMapping().GetAscii(Dns.GetHostName());
        }
        catch (ArgumentException)
        {
            return "localhost";
        }
    }

    /// <summary>The address for RCPT TO: a domain in IDNA form; a local part must be ASCII, as a relay without SMTPUTF8 needs.</summary>
    private static string AsciiAddress(string address)
    {
        var at = address.LastIndexOf('@');
        var local = address[..at];
        if (!local.All(char.IsAscii))
        {
            throw new DeliveryException($"'{address}' has a local part that is not ASCII, which the relay cannot be asked to take", retryable: false);
        }

        try
        {
            return local + "@" + new IdnMapping().GetAscii(address[(at + 1)..]);
        }
        catch (ArgumentException)
        {
            throw new DeliveryException($"'{address}' has a domain that cannot be written in ASCII", retryable: false);
        }
    }

    private SmtpSession? Take()
    {
        var now = clock.GetUtcNow();
        while (_idle.TryPop(out var session))
        {
            var idle = now - session.IdleSince;
            if (idle < IdleLimit && (idle < UnpolledIdle || session.LooksOpen))
            {
                return session;
            }

            _ = session.DisposeAsync().AsTask();
        }

        return null;
    }

    private void Keep(SmtpSession session)
    {
        if (session.Broken)
        {
            // Cancelled just as its message was answered: the socket may already be closed.
            _ = session.DisposeAsync().AsTask();
            return;
        }

        session.IdleSince = clock.GetUtcNow();
        _idle.Push(session);
        while (_idle.Count > connections && _idle.TryPop(out var extra))
        {
            _ = extra.DisposeAsync().AsTask();
        }
    }
}
