using Candor.Bench.Peers;
using Candor.Notifications;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Xunit.Abstractions;

namespace Candor.Tests.Notifications;

/// <summary>
/// `candor serve` is killed (SIGKILL) while it is mailing a thousand subscribers, and started again. What is
/// proved, counted at the SMTP server: every subscriber gets the message; every copy a subscriber gets carries
/// one and the same Message-ID, so each sees exactly one message in a client that drops a Message-ID it already
/// has; and copies beyond the first exist only for messages the killed process had sent and not yet recorded, of
/// which it has no more than <see cref="OutboxDispatcher.UnrecordedAtMost"/> at any moment, however many it claimed.
/// </summary>
public sealed class CrashDuringFanOutTests(ITestOutputHelper output) : IDisposable
{
    private const int Subscribers = 1000;
    private const int Parallel = 4;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Every_subscriber_gets_the_message_under_one_message_id_after_a_crash_in_the_middle()
    {
        await using var mail = await MailSink.StartAsync();
        var port = FreePort.Next();
        var config = _dir.Write("candor.yaml", $$"""
            storage: sqlite:{{_dir.Path}}/candor.db
            page: { name: Acme Status, url: "https://status.acme.example" }
            components:
              - { id: web, name: Website }
              - { id: mail, name: Support e-mail }
            monitors:
              - { id: web-port, component: web, type: tcp, target: "127.0.0.1:{{FreePort.Next()}}", interval: 1s, timeout: 500ms }
            incidents: { confirm_after: 2 }
            notifications:
              smtp: { host: 127.0.0.1, port: {{mail.Port}}, from: status@acme.example, starttls: false }
              parallel: {{Parallel}}
              timeout: 2s

            """);
        await SeedSubscribersAsync();

        var started = DateTime.UtcNow;
        await using (var first = await CandorProcess.ServeAsync(_dir.Path, config, port))
        {
            await WaitUntilAsync(() => mail.Count >= 150, TimeSpan.FromSeconds(60), () => first.Output);
            await first.CrashAsync();
        }

        var atCrash = mail.Count;
        output.WriteLine($"killed after {atCrash} messages, {(DateTime.UtcNow - started).TotalSeconds:0.0} s after start");
        Assert.True(atCrash < Subscribers, $"the fan-out had already finished ({atCrash} messages) when the process was killed");

        await using (var second = await CandorProcess.ServeAsync(_dir.Path, config, port))
        {
            await WaitUntilAsync(
                () => mail.Messages().SelectMany(m => m.EnvelopeTo).Distinct().Count() >= Subscribers, TimeSpan.FromSeconds(120), () => second.Output);

            // In-flight messages of the killed process come back when their lease (twice the timeout) runs out.
            await Task.Delay(TimeSpan.FromSeconds(6));
            Assert.Equal(0, await second.StopAsync());
        }

        var received = mail.Messages();
        var byRecipient = received.GroupBy(m => Assert.Single(m.EnvelopeTo)).ToDictionary(g => g.Key, g => g.ToList());
        output.WriteLine($"{received.Count} messages for {byRecipient.Count} recipients after the restart");

        Assert.Equal(Enumerable.Range(0, Subscribers).Select(Address).Order(), byRecipient.Keys.Order());
        Assert.All(byRecipient, pair => Assert.Single(pair.Value.Select(m => m.MessageId).Distinct()));
        Assert.Equal(Subscribers, received.Select(m => m.MessageId).Distinct().Count());
        var repeated = byRecipient.Count(pair => pair.Value.Count > 1);
        output.WriteLine($"{repeated} recipient(s) got a second copy under the same Message-ID");
        Assert.InRange(repeated, 0, OutboxDispatcher.UnrecordedAtMost(Parallel));
        Assert.DoesNotContain("other@example.com", byRecipient.Keys);

        await using var store = StoreFactory.Create($"sqlite:{_dir.Path}/candor.db");
        var outbox = await store.GetOutboxAsync(null, null, 10_000, CancellationToken.None);
        Assert.Equal(Subscribers, outbox.Count);
        Assert.All(outbox, e => Assert.Equal(OutboxState.Sent, e.State));
    }

    public void Dispose() => _dir.Dispose();

    private static string Address(int i) => $"subscriber-{i:0000}@example.com";

    /// <summary>Subscribers of the failing component, and one of another component who must hear nothing.</summary>
    private async Task SeedSubscribersAsync()
    {
        await using var store = StoreFactory.Create($"sqlite:{_dir.Path}/candor.db");
        await store.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        foreach (var (address, component) in Enumerable.Range(0, Subscribers).Select(i => (Address(i), "web")).Append(("other@example.com", "mail")))
        {
            await store.AddSubscriberAsync(
                ConfirmedSubscriber.Email(Candor.Incidents.Ids.New(), address, [component], now), CancellationToken.None);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out; the server said:\n" + diagnostics());
            await Task.Delay(20);
        }
    }
}
