using System.Globalization;
using System.Text;
using Candor.Bench.Peers;
using Candor.Bench.Suite;
using Candor.Monitoring.Scheduling;
using Candor.Notifications;
using Candor.Storage;

namespace Candor.Bench.Benchmarks;

/// <summary>
/// B3: how long from a target going down to the incident being open, and from then to the first e-mail the SMTP
/// server accepted and the first webhook received, with checks every 5 s and confirm_after 2.
/// </summary>
/// <remarks>
/// Each trial takes down its own target just after one of its checks passed, the worst moment: the failure is
/// seen by the next check, an interval later, and confirmed by the one after, so the theoretical minimum is
/// confirm_after × interval. The responders' channels (an e-mail address and a webhook) and two subscribers (one of
/// each kind) are told. Trials overlap, to fit the time allowed: each incident is resolved (with a written reason)
/// as soon as it is seen open, so the next failure opens an incident of its own rather than joining it.
/// </remarks>
internal sealed class DetectionBenchmark : IBenchmark
{
    private const int ConfirmAfter = 2;

    /// <summary>After the slot, so that the check of the slot has passed before its target goes down.</summary>
    private static readonly TimeSpan AfterSlot = TimeSpan.FromMilliseconds(150);

    private static readonly TimeSpan NotificationWait = TimeSpan.FromSeconds(15);

    public string Id => "B3";

    public string Name => "B3";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var interval = context.Scale.B3Interval;
        var trials = context.Scale.B3Trials;
        var smtp = await context.SmtpAsync(cancellationToken);
        var hooks = await context.WebhooksAsync(cancellationToken);
        hooks.KeepBodies = true;
        var targets = Enumerable.Range(0, trials).Select(_ => new HttpTarget()).ToList();
        try
        {
            var folder = context.NewFolder("b3");
            var storage = await context.NewStorageAsync(StoreKind.Sqlite, "b3", cancellationToken);
            string token;
            await using (var store = StoreFactory.Create(storage))
            {
                token = await CandorApi.CreateTokenAsync(store, cancellationToken);
                await AddSubscribersAsync(store, hooks.BaseAddress, cancellationToken);
            }

            var config = Path.Combine(folder, "candor.yaml");
            await File.WriteAllTextAsync(config, Config(storage, targets, interval, smtp.Port, hooks.BaseAddress), cancellationToken);
            var outcomes = new Trial[trials];
            await using (var candor = await context.StartCandorAsync(config, folder, cancellationToken))
            {
                using var api = new CandorApi(candor.BaseAddress, token);
                while ((await api.MonitorStatusesAsync(cancellationToken)).Values.Any(status => status != "up"))
                {
                    await Task.Delay(100, cancellationToken);
                }

                var (mailMark, hookMark) = (smtp.Count, hooks.Count);
                using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var poller = PollAsync(api, outcomes, polling.Token);
                await TakeDownAsync(targets, outcomes, interval, context, cancellationToken);
                await WaitForAllAsync(outcomes, smtp, hooks, mailMark, hookMark, interval, poller, cancellationToken);
                await polling.CancelAsync();
                await poller;
                await candor.StopAsync();
            }

            return Rows(outcomes, interval, trials);
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    private List<BenchRow> Rows(Trial[] trials, TimeSpan interval, int count)
    {
        var minimum = (interval * ConfirmAfter).TotalSeconds;
        var opened = trials.Select(t => (t.OpenedAt!.Value - t.StoppedAt).TotalSeconds).ToList();
        var mail = trials.Select(t => (t.FirstMail!.Value - t.OpenedAt!.Value).TotalSeconds).ToList();
        var hook = trials.Select(t => (t.FirstHook!.Value - t.OpenedAt!.Value).TotalSeconds).ToList();
        var settings = $"interval {interval.TotalSeconds:0} s, confirm_after {ConfirmAfter}, {count} trials";
        return
        [
            new BenchRow(Id, "target down → incident open, slowest trial", new Measure(opened.Max(), "s"), new Measure(minimum, "s"),
                Target.AtMostBaselinePlus(new Measure(1, "s")),
                $"median {Stats.Median(opened):0.00} s; {settings}; baseline: the theoretical minimum, confirm_after × interval"),
            new BenchRow(Id, "incident open → first e-mail accepted, slowest trial", new Measure(mail.Max(), "s"), null,
                Target.AtMost(new Measure(1, "s")),
                $"median {Stats.Median(mail):0.00} s; by aiosmtpd on 127.0.0.1, to the responders' address or a subscriber"),
            new BenchRow(Id, "incident open → first webhook received, slowest trial", new Measure(hook.Max(), "s"), null,
                Target.AtMost(new Measure(1, "s")),
                $"median {Stats.Median(hook):0.00} s; the responders' webhook or a subscriber's"),
        ];
    }

    /// <summary>
    /// Takes the targets down one by one, each just after the slot of its monitor that comes first once the previous
    /// one is down and half an interval has passed, so the incidents open that far apart.
    /// </summary>
    private static async Task TakeDownAsync(
        List<HttpTarget> targets, Trial[] trials, TimeSpan interval, BenchContext context, CancellationToken cancellationToken)
    {
        var waiting = Enumerable.Range(0, targets.Count).ToList();
        var earliest = DateTimeOffset.UtcNow + AfterSlot;
        for (var k = 0; k < trials.Length; k++)
        {
            var after = earliest;
            var (index, slot) = waiting
                .Select(i => (Index: i, Slot: Slots.AtOrAfter(after, interval, Slots.PhaseOf(MonitorId(i), "local", interval))))
                .MinBy(next => next.Slot);
            waiting.Remove(index);
            var stopAt = slot + AfterSlot;
            var wait = stopAt - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            targets[index].Stop();
            trials[index] = new Trial(ComponentName(index), targets[index].StoppedAt!.Value);
            context.Log($"B3: trial {k + 1} of {trials.Length}: {ComponentName(index)} down");
            earliest = stopAt + (interval / 2);
        }
    }

    /// <summary>Notes each trial's incident as it opens, and resolves it at once.</summary>
    private static async Task PollAsync(CandorApi api, Trial[] trials, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                foreach (var incident in await api.OpenIncidentsAsync(cancellationToken))
                {
                    var trial = trials.FirstOrDefault(t => t is { OpenedAt: null } && incident.Name.StartsWith(t.Component + ":", StringComparison.Ordinal));
                    if (trial is not null)
                    {
                        trial.OpenedAt = incident.CreatedAt;
                        await api.ResolveAsync(incident.Id, cancellationToken);
                    }
                }

                await Task.Delay(25, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task WaitForAllAsync(
        Trial[] trials, SmtpSink smtp, WebhookSink hooks, int mailMark, int hookMark, TimeSpan interval, Task poller, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + (interval * (ConfirmAfter + 2)) + NotificationWait;
        while (true)
        {
            var mails = smtp.Since(mailMark);
            var received = hooks.Received().Skip(hookMark).ToList();
            foreach (var trial in trials.Where(t => t.OpenedAt is not null))
            {
                var tag = trial.Component + ":";
                trial.FirstMail ??= mails.FirstOrDefault(m => m.Subject.Contains(tag, StringComparison.Ordinal))?.At;
                trial.FirstHook ??= received.FirstOrDefault(h => h.Body?.Contains(tag, StringComparison.Ordinal) == true)?.At;
            }

            if (trials.All(t => t.FirstMail is not null && t.FirstHook is not null))
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline || poller.IsFaulted)
            {
                await poller;
                var missing = trials.Where(t => t.FirstMail is null || t.FirstHook is null).Select(t => t.Component);
                throw new TimeoutException($"no incident, e-mail or webhook in time for {string.Join(", ", missing)}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task AddSubscribersAsync(ICandorStore store, Uri hooks, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await store.AddSubscriberAsync(
            new Subscriber
            {
                Id = "sub-mail",
                Kind = SubscriberKind.Email,
                Address = "customer@bench.test",
                Token = Subscriber.NewToken(),
                ConfirmedAt = now,
                CreatedAt = now,
            },
            cancellationToken);
        await store.AddSubscriberAsync(
            new Subscriber
            {
                Id = "sub-hook",
                Kind = SubscriberKind.Webhook,
                Address = new Uri(hooks, "subscriber").ToString(),
                Secret = Subscriber.NewToken(),
                Token = Subscriber.NewToken(),
                ConfirmedAt = now,
                CreatedAt = now,
            },
            cancellationToken);
    }

    private static string MonitorId(int index) => $"probe-{index + 1:00}";

    private static string ComponentName(int index) => $"Trial {index + 1:00}";

    private static string Config(string storage, List<HttpTarget> targets, TimeSpan interval, int smtpPort, Uri hooks)
    {
        var timeout = interval / 2 < TimeSpan.FromSeconds(2) ? interval / 2 : TimeSpan.FromSeconds(2);
        var yaml = new StringBuilder();
        yaml.AppendLine("page: { name: Candor Bench, url: 'https://status.bench.test' }");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"storage: {ConfigText.Quote(storage)}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"incidents: {{ confirm_after: {ConfirmAfter} }}");
        yaml.AppendLine("notifications:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  smtp: {{ host: 127.0.0.1, port: {smtpPort}, from: status@bench.test, starttls: false }}");
        yaml.AppendLine("  private_webhooks: true");
        yaml.AppendLine("  channels:");
        yaml.AppendLine("    - { id: oncall, type: email, to: oncall@bench.test }");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    - {{ id: ops, type: webhook, url: {ConfigText.Quote(new Uri(hooks, "ops").ToString())} }}");
        yaml.AppendLine("components:");
        for (var i = 0; i < targets.Count; i++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {{ id: t{i + 1:00}, name: {ComponentName(i)} }}");
        }

        yaml.AppendLine("monitors:");
        for (var i = 0; i < targets.Count; i++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture,
                $"  - {{ id: {MonitorId(i)}, component: t{i + 1:00}, type: http, target: {ConfigText.Quote(targets[i].Url.ToString())}, interval: {ConfigText.Duration(interval)}, timeout: {ConfigText.Duration(timeout)} }}");
        }

        return yaml.ToString();
    }

    /// <summary>One target taken down, and what followed.</summary>
    private sealed class Trial(string component, DateTimeOffset stoppedAt)
    {
        public string Component { get; } = component;

        public DateTimeOffset StoppedAt { get; } = stoppedAt;

        public DateTimeOffset? OpenedAt { get; set; }

        public DateTimeOffset? FirstMail { get; set; }

        public DateTimeOffset? FirstHook { get; set; }
    }
}
