using Candor.Notifications;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

/// <summary>
/// The mailer against a real SMTP server (aiosmtpd): consecutive messages travel over connections kept open, no
/// more of them kept than deliveries in flight; one left idle too long is closed and replaced; and what arrives is
/// the message as composed, headers and both parts, whatever its characters.
/// </summary>
public sealed class MailerSessionTests
{
    private static readonly Dictionary<string, string> NoHeaders = [];

    [Fact]
    public async Task Consecutive_messages_travel_over_one_kept_open_connection()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var mailer = new Mailer(Config(smtp.Port), "Acme Status", connections: 2, new ManualClock());

        for (var i = 0; i < 5; i++)
        {
            await mailer.SendAsync(Mail($"one-{i}@example.com", "Plain", "Hello."), CancellationToken.None);
        }

        var messages = smtp.Messages;
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"one-{i}@example.com"), messages.Select(m => Assert.Single(m.Recipients)));
        Assert.Single(messages.Select(m => m.Peer).Distinct());
    }

    [Fact]
    public async Task Messages_sent_at_once_open_a_connection_each_and_no_more_than_the_deliveries_in_flight_are_kept()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var mailer = new Mailer(Config(smtp.Port), "Acme Status", connections: 2, new ManualClock());

        // Paused, the relay greets none of them, so each of the four is under way before any connection is free again.
        smtp.Pause();
        var burst = Task.WhenAll(Enumerable.Range(0, 4).Select(i => mailer.SendAsync(Mail($"burst-{i}@example.com", "Burst", "Hi."), CancellationToken.None)));
        smtp.Resume();
        await burst;
        var opened = smtp.Messages.Select(m => m.Peer).ToHashSet();
        for (var i = 0; i < 6; i++)
        {
            await mailer.SendAsync(Mail($"after-{i}@example.com", "After", "Hi."), CancellationToken.None);
        }

        var after = smtp.Messages.Skip(4).Select(m => m.Peer).Distinct().ToList();
        Assert.Equal(4, opened.Count);
        Assert.Single(after);
        Assert.Contains(after[0], opened);
    }

    [Fact]
    public async Task A_connection_left_idle_too_long_is_closed_and_the_next_message_opens_a_new_one()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var clock = new ManualClock();
        await using var mailer = new Mailer(Config(smtp.Port), "Acme Status", connections: 1, clock);

        await mailer.SendAsync(Mail("first@example.com", "First", "Hi."), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await mailer.SendAsync(Mail("second@example.com", "Second", "Hi."), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        await mailer.SendAsync(Mail("third@example.com", "Third", "Hi."), CancellationToken.None);

        var peers = smtp.Messages.Select(m => m.Peer).ToList();
        Assert.Equal(peers[0], peers[1]);
        Assert.NotEqual(peers[1], peers[2]);
    }

    [Fact]
    public async Task A_message_arrives_as_composed_with_unicode_long_lines_and_lines_that_start_with_a_dot()
    {
        await using var mail = await MailSink.StartAsync();
        await using var mailer = new Mailer(Config(mail.Port), "Acme Status — Störungen", connections: 1, new ManualClock());
        var text = ".hidden line\nPayments are failing — Zahlungen schlagen fehl, 支付失败 🙁\n" + new string('x', 300) + "\ntrailing spaces   \n..\n";
        var html = "<p>Payments &amp; refunds</p>\n.<b>dot</b>\n";
        var headers = new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://status.acme.example/unsubscribe/abc>" };

        await mailer.SendAsync(
            new OutgoingMail("alice@example.com", "[Acme] Störung: Zahlungen — 支付 " + new string('y', 120), text, html, "delivery-1", headers),
            CancellationToken.None);

        var received = await mail.WaitForAsync("alice@example.com", _ => true);
        Assert.Equal("[Acme] Störung: Zahlungen — 支付 " + new string('y', 120), received.Subject);
        Assert.Equal("<delivery-1@acme.example>", received.MessageId);
        Assert.Equal("<https://status.acme.example/unsubscribe/abc>", received.Headers["List-Unsubscribe"]);
        Assert.Contains("Acme Status — Störungen", received.Headers["From"], StringComparison.Ordinal);
        Assert.Equal(text, received.Text?.ReplaceLineEndings("\n"));
        Assert.Equal(html, received.Html?.ReplaceLineEndings("\n"));
    }

    private static SmtpConfig Config(int port) => new() { Host = "127.0.0.1", Port = port, From = "status@acme.example", Starttls = false };

    private static OutgoingMail Mail(string to, string subject, string text) => new(to, subject, text, null, Guid.NewGuid().ToString("N"), NoHeaders);
}
