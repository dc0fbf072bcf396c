using System.Diagnostics;
using System.Globalization;
using System.Text;
using Candor.Bench.Peers;
using Candor.Bench.Suite;
using Candor.Notifications;
using Candor.Storage;

namespace Candor.Bench.Benchmarks;

/// <summary>
/// B4: an incident told to 10,000 confirmed e-mail subscribers, and one told to 10,000 webhook subscribers, through
/// the outbox with its default deliveries (four e-mails, 32 posts at once), by servers that check their monitors; against Python's smtplib sending Candor's
/// own message to as many recipients through the same aiosmtpd over four connections, and a bare HttpClient loop
/// posting the same payload to the same receiver, in a process of its own. Every recipient must get its message once.
/// </summary>
internal sealed class FanOutBenchmark : IBenchmark
{
    /// <summary>The outbox's default <c>notifications.parallel</c>: smtplib uses as many connections.</summary>
    private static readonly int MailParallel = new NotificationsConfig().Parallel;

    /// <summary>The outbox's default <c>notifications.webhook_parallel</c>: the note gives a loop with as many lanes.</summary>
    private static readonly int WebhookParallel = new NotificationsConfig().WebhookParallel;

    /// <summary>
    /// The services each of B4's servers watches, as every status server does, and most with HTTP checks: they run
    /// the HTTP client's code as a server that has been up has run it, where webhooks go out through the same code.
    /// </summary>
    private const int Monitors = 50;

    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    private const string MailIncident = "Mail fan-out";
    private const string HookIncident = "Webhook fan-out";

    private const string SmtplibScript = """
        import re, smtplib, sys, threading, time

        host, port, total, connections, template = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
        candor = open(template, 'rb').read().replace(sys.argv[6].encode(), b'smtplib fan-out', 1)

        def message(i):
            # Candor's own message, but to this recipient and with an id of its own.
            with_to = re.sub(rb'(?m)^To: [^\r]*', b'To: subscriber-%d@bench.test' % i, candor, count=1)
            return re.sub(rb'(?m)^Message-ID: [^\r]*', b'Message-ID: <smtplib-%d@bench.test>' % i, with_to, count=1)

        messages = [message(i) for i in range(total)]

        def send(first):
            client = smtplib.SMTP(host, port)
            client.ehlo()
            for i in range(first, total, connections):
                client.sendmail('status@bench.test', ['subscriber-%d@bench.test' % i], messages[i])
            client.quit()

        threads = [threading.Thread(target=send, args=(k,)) for k in range(connections)]
        started = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print('%.6f' % (time.time() - started))
        """;

    public string Id => "B4";

    public string Name => "B4";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var subscribers = context.Scale.B4Subscribers;
        var phaseLimit = context.Scale.UnitBudget * 0.35;
        var smtp = await context.SmtpAsync(cancellationToken);
        var hooks = await context.WebhooksAsync(cancellationToken);
        hooks.KeepBodies = false;

        // Each kind on a server and store of its own: in one outbox, what is left of the first would delay the second.
        var mail = await WithCandorAsync(context, SubscriberKind.Email, subscribers, Monitors, smtp.Port, hooks.BaseAddress,
            api => MailAsync(api, smtp, subscribers, phaseLimit, cancellationToken), cancellationToken);
        context.Log($"B4: {mail.Delivered:N0} e-mails at {mail.Rate:N0}/s");
        await WarmUpAsync(hooks, context.Scale.B4ReceiverWarmup, cancellationToken);
        // Incidents are rare, so the fan-out that counts is a process's first, on the outbox's code compiled as it first
        // runs; a second, to the same subscribers in the same process, shows what is left once that code is compiled.
        var (webhook, again) = await WithCandorAsync(context, SubscriberKind.Webhook, subscribers, Monitors, smtp.Port, hooks.BaseAddress,
            async api => (
                await WebhooksAsync(api, hooks, HookIncident, subscribers, phaseLimit, cancellationToken),
                await WebhooksAsync(api, hooks, HookIncident + " again", subscribers, phaseLimit, cancellationToken)),
            cancellationToken);
        context.Log($"B4: {webhook.Delivered:N0} webhooks at {webhook.Rate:N0}/s, then again at {again.Rate:N0}/s");
        // A server that checks nothing has never run the HTTP client's code: its first fan-out compiles that too.
        var unwatched = await WithCandorAsync(context, SubscriberKind.Webhook, subscribers, monitors: 0, smtp.Port, hooks.BaseAddress,
            api => WebhooksAsync(api, hooks, HookIncident, subscribers, phaseLimit, cancellationToken), cancellationToken);
        context.Log($"B4: {unwatched.Delivered:N0} webhooks at {unwatched.Rate:N0}/s from a server with no monitors");

        var smtplib = await SmtplibAsync(context, smtp, subscribers, mail.SavedAs, cancellationToken);
        var loop = await WebhookLoop.RunAsync(hooks.BaseAddress, subscribers, webhook.Size, lanes: 1, cancellationToken);
        var lanes = await WebhookLoop.RunAsync(hooks.BaseAddress, subscribers, webhook.Size, WebhookParallel, cancellationToken);
        return
        [
            Row("e-mails to subscribers/s", mail, smtplib, subscribers,
                $"outbox parallel {MailParallel}; baseline: Python smtplib over {MailParallel} connections kept open, "
                + $"{subscribers:N0} of Candor's own messages ({mail.Size:N0} bytes at the median)"),
            Row("webhooks to subscribers/s", webhook, loop, subscribers,
                $"outbox webhook_parallel {WebhookParallel}; baseline: a bare HttpClient loop in a process of its own, "
                + $"posting {webhook.Size:N0}-byte bodies one after another; the same loop {WebhookParallel} posts at a time: "
                + $"{lanes:N0}/s ({webhook.Rate / lanes:0.00}×); a second incident to the same subscribers, in the same process: "
                + $"{again.Rate:N0}/s ({again.Rate / loop:0.00}×, {again.Rate / lanes:0.00}× of {WebhookParallel} at a time), "
                + $"{again.Delivered:N0} reached, {again.Duplicates:N0} twice; the first incident of a server running no monitors: "
                + $"{unwatched.Rate:N0}/s ({unwatched.Rate / loop:0.00}×), {unwatched.Delivered:N0} reached, {unwatched.Duplicates:N0} twice"),
        ];
    }

    private static async Task<T> WithCandorAsync<T>(
        BenchContext context,
        SubscriberKind kind,
        int subscribers,
        int monitors,
        int smtpPort,
        Uri hooks,
        Func<CandorApi, Task<T>> measure,
        CancellationToken cancellationToken)
    {
        var folder = context.NewFolder($"b4-{kind}");
        var storage = await context.NewStorageAsync(StoreKind.Sqlite, "b4", cancellationToken);
        string token;
        await using (var store = StoreFactory.Create(storage))
        {
            token = await CandorApi.CreateTokenAsync(store, cancellationToken);
            await AddSubscribersAsync(store, kind, subscribers, hooks, cancellationToken);
        }

        var config = Path.Combine(folder, "candor.yaml");
        await File.WriteAllTextAsync(config, Config(storage, smtpPort, hooks, monitors), cancellationToken);
        // Disposed, not stopped: what is still in the outbox is given up rather than drained.
        await using var candor = await context.StartCandorAsync(config, folder, cancellationToken);
        using var api = new CandorApi(candor.BaseAddress, token);
        // A server that has just started would count its first request's one-off set-up (the API's binding, the
        // audit log, the JIT) into the fan-out; a server that tells 10,000 subscribers has been up before, checking
        // its monitors. This incident is on a component nobody subscribes to: it takes the same path and tells no one.
        await Task.Delay(context.Scale.B4MonitorsBefore, cancellationToken);
        await api.ResolveAsync(await api.CreateIncidentAsync("Warm-up", ["quiet"], cancellationToken), cancellationToken);
        return await measure(api);
    }

    private BenchRow Row(string figure, Delivery delivery, double baseline, int expected, string note)
    {
        var whole = delivery.Delivered == expected && delivery.Duplicates == 0;
        return new BenchRow(Id, figure, new Measure(delivery.Rate, "/s"), new Measure(baseline, "/s"),
            new Target("≥ 70 % of baseline, none lost or twice", (candor, base_) => whole && base_ is > 0 && candor / base_ >= 0.7),
            $"{delivery.Delivered:N0} of {expected:N0} recipients reached, {delivery.Duplicates:N0} twice; {note}");
    }

    private static async Task<Delivery> MailAsync(CandorApi api, SmtpSink smtp, int expected, TimeSpan limit, CancellationToken cancellationToken)
    {
        var mark = smtp.Count;
        var started = DateTimeOffset.UtcNow;
        await api.CreateIncidentAsync(MailIncident, ["mail"], cancellationToken);
        var deadline = started + limit;
        List<AcceptedMail> mails;
        while (true)
        {
            mails = [.. smtp.Since(mark).Where(m => m.Subject.Contains(MailIncident, StringComparison.Ordinal))];
            if (mails.Count >= expected || DateTimeOffset.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        var recipients = mails.Select(m => m.Recipients).Distinct(StringComparer.Ordinal).Count();
        var end = mails.Count > 0 ? mails.Max(m => m.At) : DateTimeOffset.UtcNow;
        return new Delivery(
            recipients,
            mails.Count - mails.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count(),
            recipients / (end - started).TotalSeconds,
            mails.Count > 0 ? (int)Stats.Median(mails.Select(m => (double)m.Size)) : 0,
            mails.Select(m => m.SavedAs).FirstOrDefault(path => path.Length > 0)
                ?? throw new InvalidOperationException("The SMTP server kept none of Candor's messages"));
    }

    private static async Task<Delivery> WebhooksAsync(
        CandorApi api, WebhookSink hooks, string incident, int expected, TimeSpan limit, CancellationToken cancellationToken)
    {
        var mark = hooks.Count;
        var started = DateTimeOffset.UtcNow;
        await api.CreateIncidentAsync(incident, ["hooks"], cancellationToken);
        var deadline = started + limit;
        List<ReceivedHook> received;
        while (true)
        {
            received = [.. hooks.Received().Skip(mark).Where(h => h.Path.StartsWith("/subscriber/", StringComparison.Ordinal))];
            if (received.Count >= expected || DateTimeOffset.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        var recipients = received.Select(h => h.Path).Distinct(StringComparer.Ordinal).Count();
        var end = received.Count > 0 ? received.Max(h => h.At) : DateTimeOffset.UtcNow;
        return new Delivery(
            recipients,
            received.Count - received.Select(h => h.Delivery).Distinct(StringComparer.Ordinal).Count(),
            recipients / (end - started).TotalSeconds,
            received.Count > 0 ? (int)Stats.Median(received.Select(h => (double)h.Size)) : 0);
    }

    /// <summary>
    /// Python's smtplib, four threads each on one connection kept open, sending the message Candor sent (saved by the
    /// server) to as many recipients: the rate the SMTP server allows for those very bytes, since it reads a message
    /// line by line and so pays by the line as much as by the byte.
    /// </summary>
    private static async Task<double> SmtplibAsync(BenchContext context, SmtpSink smtp, int count, string candorMessage, CancellationToken cancellationToken)
    {
        var script = Path.Combine(context.NewFolder("b4-smtplib"), "send.py");
        await File.WriteAllTextAsync(script, SmtplibScript, cancellationToken);
        var mark = smtp.Count;
        var output = await ChildProcess.RunAsync(
            SmtpSink.Python,
            [script, "127.0.0.1", smtp.Port.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture),
                MailParallel.ToString(CultureInfo.InvariantCulture), candorMessage, MailIncident],
            cancellationToken);
        var accepted = smtp.Since(mark).Count(m => m.Subject.Contains("smtplib fan-out", StringComparison.Ordinal));
        return accepted == count
            ? count / double.Parse(output.Trim(), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"smtplib sent {count} messages and the server accepted {accepted}");
    }

    /// <summary>
    /// Posts for as long as given, unmeasured. Cold, the receiver compiled its request path while Candor's first
    /// fan-out ran: in a profile of that fan-out, the receiver's JIT thread took 19 % of the samples of both cores
    /// (Candor's process 53 %), and in the second fan-out 2 %.
    /// </summary>
    private static async Task WarmUpAsync(WebhookSink hooks, TimeSpan duration, CancellationToken cancellationToken)
    {
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < duration;)
        {
            await WebhookLoop.PostAsync(hooks.BaseAddress, "warm-up", 1_000, 1_500, lanes: 4, cancellationToken);
        }
    }

    private static async Task AddSubscribersAsync(ICandorStore store, SubscriberKind kind, int count, Uri hooks, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            await store.AddSubscriberAsync(
                kind == SubscriberKind.Email
                    ? new Subscriber
                    {
                        Id = $"mail-{i:00000}",
                        Kind = SubscriberKind.Email,
                        Address = $"subscriber-{i}@bench.test",
                        Components = ["mail"],
                        Token = Subscriber.NewToken(),
                        ConfirmedAt = now,
                        CreatedAt = now,
                    }
                    : new Subscriber
                    {
                        Id = $"hook-{i:00000}",
                        Kind = SubscriberKind.Webhook,
                        Address = new Uri(hooks, $"subscriber/{i}").ToString(),
                        Components = ["hooks"],
                        Secret = Subscriber.NewToken(),
                        Token = Subscriber.NewToken(),
                        ConfirmedAt = now,
                        CreatedAt = now,
                    },
                cancellationToken);
        }
    }

    private static string Config(string storage, int smtpPort, Uri hooks, int monitors)
    {
        var yaml = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $$"""
            page: { name: Candor Bench, url: 'https://status.bench.test' }
            storage: {{ConfigText.Quote(storage)}}
            notifications:
              smtp: { host: 127.0.0.1, port: {{smtpPort}}, from: status@bench.test, starttls: false }
              private_webhooks: true
            components:
              - { id: mail, name: Mail }
              - { id: hooks, name: Hooks }
              - { id: quiet, name: Quiet }
              - { id: services, name: Services }

            """));
        yaml.AppendLine(monitors > 0 ? "monitors:" : "monitors: []");
        for (var m = 0; m < monitors; m++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture,
                $"  - {{ id: service-{m}, component: services, type: http, target: {ConfigText.Quote(new Uri(hooks, $"service/{m}").ToString())}, interval: {ConfigText.Duration(CheckEvery)}, timeout: 2s }}");
        }

        return yaml.ToString();
    }

    /// <param name="Delivered">Recipients that got the message.</param>
    /// <param name="Size">The median size of a message or body, for the baseline to send the same.</param>
    /// <param name="SavedAs">Where the SMTP server wrote the first message, for the baseline to send the same; empty for webhooks.</param>
    private sealed record Delivery(int Delivered, int Duplicates, double Rate, int Size, string SavedAs = "");
}
