using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Candor.Configuration;
using Candor.Hosting;
using Candor.Incidents;
using Candor.Notifications.Channels;
using Candor.StatusPage.Api;
using Candor.Storage;

namespace Candor.Notifications;

/// <summary>
/// Delivers the outbox: claims due messages in batches, sends e-mail through <c>parallel</c> deliveries at once and
/// webhooks and chat messages through <c>webhook_parallel</c> (responders' channels first in each), and records the
/// outcomes; a failure is tried again after a wait that doubles each time, and after <c>max_attempts</c> the message
/// is dead, for an admin to see and retry.
/// </summary>
/// <remarks>
/// <para>
/// Toward the network delivery is at least once; as the recipient sees it, exactly once. A batch of messages is
/// marked sending, each with a lease, in one transaction before any of them goes out; a message is marked sent
/// once the relay has answered 250 to the end of DATA (or the webhook 2xx), in a transaction that records every
/// outcome that came in while the previous one was being written. A crash between the two leaves the message
/// sending; when its lease runs out it is sent again, because nothing can tell whether the relay took it, and
/// losing a notice (the resolution, say) is the worse error. The copy carries the same Message-ID (the same
/// X-Candor-Delivery for a webhook), derived from the event and the recipient alone, so mail systems and receivers
/// that drop a Message-ID they already hold show it once.
/// </para>
/// <para>
/// Only messages that had gone out and were not yet recorded at the moment of a crash can be repeated: at most
/// <see cref="UnrecordedAtMost"/> (16 × <c>parallel</c> e-mails and 16 × <c>webhook_parallel</c> posts) per server,
/// since no delivery of a kind starts while that many of its kind wait to be recorded. A message not yet claimed,
/// claimed but not yet begun, or already recorded as sent, is never sent twice; a pending or sending row is never
/// lost. A server claims more than that ahead, as many as it delivers in a fraction of a second (at most
/// <see cref="MostClaimed"/>), so that a claim serves hundreds of messages during a fan-out; those it had not begun
/// at a crash are sent once the lease runs out, by whichever server claims them.
/// </para>
/// <para>
/// E-mail and HTTP have deliveries of their own because they wait on different things: e-mail on one relay, which
/// takes a few connections; a webhook on its subscriber's own server, often on the very infrastructure that is
/// failing, which may hang until the timeout. When they shared four deliveries, four hanging hosts held back every
/// e-mail and every responders' channel for 30 s.
/// </para>
/// <para>
/// A claimed message waits for a free delivery, so before it goes out its lease must still outlast the timeout;
/// if not, the lease is renewed first, and a message whose lease ran out (another server has taken it over) is
/// left alone. Messages still waiting when the server stops are given back, their claim not counted as an attempt.
/// </para>
/// </remarks>
public sealed class OutboxDispatcher(
    ICandorStore store,
    CandorConfig config,
    MessageComposer composer,
    NotificationHttp http,
    IPublicSnapshotSource snapshots,
    ChangeFeed feed,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>
    /// Messages that may have gone out unrecorded per delivery in flight: enough that a record costs one transaction
    /// per dozens of messages, few enough that a crash repeats few.
    /// </summary>
    private const int UnrecordedPerDelivery = 16;

    /// <summary>The most messages a claim takes: a fan-out to thousands costs a transaction per hundreds.</summary>
    public const int MostClaimed = 1024;

    /// <summary>
    /// When half of a full claim has gone out sooner than this, the next claim asks for twice as many, and when it
    /// took four times longer, for half: what waits claimed is about what goes out in this long.
    /// </summary>
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the outbox is looked at when nothing signals new work (retries fall due, other replicas write).</summary>
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LongestBackoff = TimeSpan.FromHours(1);

    /// <summary>The longest outcomes are gathered before they are written: a commit for each few messages, not each one.</summary>
    private static readonly TimeSpan GatherOutcomes = TimeSpan.FromMilliseconds(5);

    private readonly NotificationsConfig _settings = config.Notifications;
    private readonly int _unrecordedAtMost = Allowance(config.Notifications);
    private readonly Mailer? _mailer = config.Notifications.Smtp is { } smtp
        ? new Mailer(smtp, config.Page.Name, config.Notifications.Parallel, clock)
        : null;

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _drained = new(0, 1);
    private readonly Lanes _byMail = new(config.Notifications.Parallel);
    private readonly Lanes _byHttp = new(config.Notifications.WebhookParallel);
    private readonly Channel<Recorded> _outcomes = Channel.CreateUnbounded<Recorded>();

    /// <summary>Says that half the places among the unrecorded of one kind are taken, so the outcomes gathered are written now.</summary>
    private readonly SemaphoreSlim _halfTaken = new(0, 1);

    /// <summary>Messages claimed and waiting for a delivery.</summary>
    private int _queued;

    /// <summary>How many messages the next claim asks for, between <see cref="_unrecordedAtMost"/> and <see cref="MostClaimed"/>.</summary>
    private int _claimSize = Allowance(config.Notifications);

    /// <summary>
    /// The most messages of one kind (e-mail, or HTTP) that one server has sent, or is sending, and not yet recorded as
    /// sent: the most of that kind a crash can repeat.
    /// </summary>
    /// <param name="deliveries">How many deliveries of the kind there are: <c>parallel</c> or <c>webhook_parallel</c>.</param>
    public static int UnrecordedAtMost(int deliveries) => deliveries * UnrecordedPerDelivery;

    /// <summary>The most messages, of both kinds, that one server may have sent and not yet recorded.</summary>
    private static int Allowance(NotificationsConfig settings) => UnrecordedAtMost(settings.Parallel) + UnrecordedAtMost(settings.WebhookParallel);

    /// <summary>Says that there may be new messages, so they go out now rather than at the next poll.</summary>
    public void Wake() => Signal(_wake);

    public override void Dispose()
    {
        feed.Changed -= Wake;
        _wake.Dispose();
        _drained.Dispose();
        _byMail.Dispose();
        _byHttp.Dispose();
        _halfTaken.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        feed.Changed += Wake;
        var recorder = RecordAsync();
        var deliveries = new[] { _byMail, _byHttp }
            .SelectMany(lanes => Enumerable.Range(0, lanes.Count).Select(_ => DeliverWaitingAsync(lanes, stoppingToken)))
            .ToList();
        try
        {
            var claimedAt = clock.GetUtcNow();
            var cameBackFull = false;
            while (!stoppingToken.IsCancellationRequested)
            {
                // Claiming a few rows at a time would cost a transaction for each few: while the deliveries have work,
                // wait until they have taken half of what was claimed.
                var queued = Volatile.Read(ref _queued);
                if (queued > _claimSize / 2)
                {
                    await SignalledAsync(_drained, stoppingToken);
                    continue;
                }

                var claiming = clock.GetUtcNow();
                if (cameBackFull)
                {
                    var lasted = claiming - claimedAt;
                    _claimSize = lasted < ClaimFor
                        ? Math.Min(_claimSize * 2, MostClaimed)
                        : lasted > ClaimFor * 4 ? Math.Max(_claimSize / 2, _unrecordedAtMost) : _claimSize;
                }

                var room = _claimSize - queued;
                claimedAt = claiming;
                cameBackFull = await ClaimAsync(room, stoppingToken) == room;
                if (!cameBackFull)
                {
                    // Nothing more is due now.
                    _claimSize = _unrecordedAtMost;
                    await SignalledAsync(_wake, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(deliveries);
        var now = clock.StoredNow();
        foreach (var lanes in new[] { _byMail, _byHttp })
        {
            while (lanes.TryDequeue(out var waiting))
            {
                Record(OutboxOutcome.GivenBack(waiting.Entry.Id, now), from: null);
            }
        }

        _outcomes.Writer.Complete();
        await recorder;
        if (_mailer is not null)
        {
            await _mailer.DisposeAsync();
        }
    }

    private static void Signal(SemaphoreSlim signal)
    {
        // Deliveries signal on every turn while half the allowance is taken: in B4's two fan-outs to 10,000
        // webhooks, 3,858 of the first 5,000 calls found the signal already given, each an exception thrown before.
        if (signal.CurrentCount > 0)
        {
            return;
        }

        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Given by another thread since the look above: one look covers both.
        }
    }

    private Task SignalledAsync(SemaphoreSlim signal, CancellationToken stoppingToken) => SignalledAsync(signal, PollEvery, stoppingToken);

    private async Task SignalledAsync(SemaphoreSlim signal, TimeSpan pollEvery, CancellationToken stoppingToken)
    {
        using var poll = new CancellationTokenSource(pollEvery, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, poll.Token);
        try
        {
            await signal.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>How many messages were claimed.</returns>
    private async Task<int> ClaimAsync(int room, CancellationToken stoppingToken)
    {
        IReadOnlyList<OutboxEntry> claimed;
        var now = clock.StoredNow();
        try
        {
            claimed = await store.ClaimOutboxAsync(room, now, now + _settings.Lease, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Claiming notifications failed");
            return 0;
        }

        try
        {
            var deliveries = await PrepareAsync(claimed, stoppingToken);
            Interlocked.Add(ref _queued, deliveries.Count);
            foreach (var delivery in deliveries)
            {
                (GoesByMail(delivery) ? _byMail : _byHttp).Enqueue(delivery);
            }

            return claimed.Count;
        }
        catch (Exception exception)
        {
            if (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Reading what {Count} notification(s) need failed", claimed.Count);
            }

            foreach (var entry in claimed)
            {
                Record(OutboxOutcome.GivenBack(entry.Id, now), from: null);
            }

            return 0;
        }
    }

    /// <summary>
    /// What the batch's messages need, read once for all of them: their subscribers, and for each incident event its
    /// notice, its e-mail and its webhook body, composed once.
    /// </summary>
    private async Task<List<Delivery>> PrepareAsync(IReadOnlyList<OutboxEntry> claimed, CancellationToken cancellationToken)
    {
        var subscriberIds = claimed.Where(e => e.RecipientKind == RecipientKind.Subscriber).Select(e => e.RecipientId).ToList();
        var subscribers = subscriberIds.Count == 0
            ? []
            : (await store.GetSubscribersAsync(subscriberIds, cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var events = new Dictionary<string, IncidentMessages?>(StringComparer.Ordinal);
        foreach (var entry in claimed.Where(e => e.Message == OutboxMessage.Incident))
        {
            if (!events.ContainsKey(entry.EventId))
            {
                events[entry.EventId] = await IncidentMessagesAsync(entry, cancellationToken);
            }
        }

        return
        [
            .. claimed.Select(entry => new Delivery(
                entry,
                entry.RecipientKind == RecipientKind.Subscriber ? subscribers.GetValueOrDefault(entry.RecipientId) : null,
                events.GetValueOrDefault(entry.EventId))),
        ];
    }

    private async Task<IncidentMessages?> IncidentMessagesAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var incidentEvent = await store.GetIncidentEventAsync(entry.EventId, cancellationToken);
        var incident = entry.IncidentId is null ? null : await store.GetIncidentAsync(entry.IncidentId, cancellationToken);
        if (incidentEvent is null || incident is null)
        {
            return null;
        }

        var notice = composer.Notice(incident, incidentEvent);
        var timeline = await store.GetIncidentEventsAsync(incident.Id, cancellationToken);
        var published = new PublicIncident(incident, timeline);
        var writer = new StatuspageWriter(snapshots.Current);
        var now = clock.GetUtcNow();
        return new IncidentMessages(
            notice,
            new Lazy<IncidentMail>(() => composer.SubscriberMail(notice)),
            new Lazy<WebhookBody>(() => composer.SubscriberWebhook(notice, published, writer, now)),
            published,
            writer);
    }

    /// <summary>Whether a message goes through the relay; all others are HTTP posts.</summary>
    private bool GoesByMail(Delivery delivery) => delivery.Entry.RecipientKind == RecipientKind.Channel
        ? _settings.Channels.FirstOrDefault(c => c.Id == delivery.Entry.RecipientId)?.Type == EmailChannel.TypeName
        : delivery.Entry.Message == OutboxMessage.Confirmation || delivery.Subscriber?.Kind == SubscriberKind.Email;

    private async Task DeliverWaitingAsync(Lanes lanes, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await lanes.Unrecorded.WaitAsync(stoppingToken);
                await lanes.Waiting.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (lanes.HalfTaken)
            {
                Signal(_halfTaken);
            }

            // Every release of Waiting follows an enqueue, so the lanes hold a delivery for this turn.
            lanes.TryDequeue(out var delivery);
            if (Interlocked.Decrement(ref _queued) <= Volatile.Read(ref _claimSize) / 2)
            {
                Signal(_drained);
            }

            await RunAsync(delivery!, lanes, stoppingToken);
        }
    }

    private async Task RunAsync(Delivery delivery, Lanes lanes, CancellationToken stoppingToken)
    {
        var entry = delivery.Entry;
        if (!await HoldLeaseAsync(entry))
        {
            lanes.Unrecorded.Release();
            return;
        }

        try
        {
            OutboxState outcome;
            using (var timeout = new CancellationTokenSource(_settings.Timeout, clock))
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token))
            {
                outcome = await DeliverAsync(delivery, either.Token);
            }

            Record(new OutboxOutcome(entry.Id, outcome, clock.StoredNow()), lanes);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whether it went out is unknown, so it goes again, under the same Message-ID.
            Record(new OutboxOutcome(entry.Id, OutboxState.Pending, clock.StoredNow(), "interrupted by shutdown"), lanes);
        }
        catch (Exception exception)
        {
            var error = exception is OperationCanceledException
                ? $"timed out after {Duration.Format(_settings.Timeout)}"
                : exception.Message;
            var retryable = exception is not DeliveryException { Retryable: false };
            var now = clock.StoredNow();
            if (retryable && entry.Attempts < _settings.MaxAttempts)
            {
                logger.LogWarning("Delivery {Id} to {Kind} {Recipient} failed (attempt {Attempt}): {Error}",
                    entry.Id, entry.RecipientKind, entry.RecipientId, entry.Attempts, error);
                Record(new OutboxOutcome(entry.Id, OutboxState.Pending, now + Backoff(entry.Attempts), error), lanes);
            }
            else
            {
                logger.LogError("Delivery {Id} to {Kind} {Recipient} is dead after {Attempts} attempt(s): {Error}",
                    entry.Id, entry.RecipientKind, entry.RecipientId, entry.Attempts, error);
                Record(new OutboxOutcome(entry.Id, OutboxState.Dead, now, error), lanes);
            }
        }
    }

    /// <returns>False when the message is no longer this server's to send.</returns>
    private async Task<bool> HoldLeaseAsync(OutboxEntry entry)
    {
        if (entry.LeaseUntil is not { } lease || lease - clock.GetUtcNow() >= _settings.Timeout)
        {
            return true;
        }

        try
        {
            if (await store.RenewOutboxLeaseAsync(entry.Id, lease, clock.StoredNow() + _settings.Lease, CancellationToken.None))
            {
                return true;
            }

            logger.LogWarning("Delivery {Id} was taken over by another server while it waited here", entry.Id);
        }
        catch (Exception exception)
        {
            // Left sending: when the lease runs out, whoever claims it first sends it.
            logger.LogError(exception, "Renewing the lease of delivery {Id} failed", entry.Id);
        }

        return false;
    }

    /// <param name="from">The lanes of the delivery it comes from, where it holds a place among the unrecorded until it is written.</param>
    private void Record(OutboxOutcome outcome, Lanes? from) => _outcomes.Writer.TryWrite(new Recorded(outcome, from));

    /// <summary>
    /// Writes the outcomes in few transactions: each records everything that came in while the previous one was
    /// being written, and what comes in after that until half the allowance is taken or a few milliseconds have
    /// passed. Waiting out the milliseconds with the allowance spent left every delivery idle: B4's two fan-outs to
    /// 10,000 webhooks took 3.6-3.9 s that way, and 3.1-3.4 s once the write began as soon as half was taken. A row
    /// that cannot be updated stays sending, and its lease brings it back: nothing is lost.
    /// </summary>
    private async Task RecordAsync()
    {
        var reader = _outcomes.Reader;
        var batch = new List<OutboxOutcome>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            _halfTaken.Wait(0, CancellationToken.None);
            if (!_byMail.HalfTaken && !_byHttp.HalfTaken)
            {
                await SignalledAsync(_halfTaken, GatherOutcomes, CancellationToken.None);
            }

            var (byMail, byHttp) = (0, 0);
            while (reader.TryRead(out var recorded))
            {
                batch.Add(recorded.Outcome);
                byMail += recorded.From == _byMail ? 1 : 0;
                byHttp += recorded.From == _byHttp ? 1 : 0;
            }

            try
            {
                await store.FinishOutboxAsync(batch, CancellationToken.None);
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Recording the outcome of {Count} deliveries failed", batch.Count);
            }

            batch.Clear();
            _byMail.Release(byMail);
            _byHttp.Release(byHttp);
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var wait = _settings.Backoff * Math.Pow(2, Math.Min(attempts - 1, 20));
        return wait < LongestBackoff ? wait : LongestBackoff;
    }

    /// <returns>Sent, or cancelled when the recipient no longer wants it (unsubscribed, channel removed).</returns>
    private async Task<OutboxState> DeliverAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var (entry, subscriber, messages) = delivery;
        var deliveryId = entry.DeliveryId;
        if (entry.Message == OutboxMessage.Confirmation)
        {
            // A newer request replaced this link, or the address confirmed already: this one is moot.
            if (subscriber is not { Confirmed: false, ConfirmToken: { } token } || OutboxEntry.ConfirmationEventId(token) != entry.EventId)
            {
                return OutboxState.Cancelled;
            }

            await Mail().SendAsync(composer.ConfirmationMail(subscriber, deliveryId), cancellationToken);
            return OutboxState.Sent;
        }

        if (entry.Message == OutboxMessage.Maintenance)
        {
            return await DeliverMaintenanceAsync(entry, subscriber, cancellationToken);
        }

        if (messages is null)
        {
            throw new DeliveryException($"event {entry.EventId} of incident {entry.IncidentId} is not stored", retryable: false);
        }

        if (entry.RecipientKind == RecipientKind.Channel)
        {
            if (_settings.Channels.FirstOrDefault(c => c.Id == entry.RecipientId) is not { } channel
                || ChannelCatalog.Find(channel.Type) is not { } type)
            {
                return OutboxState.Cancelled;
            }

            var json = Payload(messages, deliveryId);
            await type.SendAsync(
                channel, composer.Responder(messages.Notice, deliveryId, json), new ChannelTransport(http, _mailer, clock), cancellationToken);
            return OutboxState.Sent;
        }

        if (subscriber is not { Confirmed: true })
        {
            return OutboxState.Cancelled;
        }

        if (subscriber.Kind == SubscriberKind.Email)
        {
            await Mail().SendAsync(messages.Mail.Value.For(subscriber, deliveryId), cancellationToken);
        }
        else
        {
            var json = messages.Webhook.Value.For(composer.UnsubscribeUrl(subscriber), deliveryId);
            await http.PostToSubscriberAsync(
                subscriber.Address, json, WebhookSignature.Headers(deliveryId, json, subscriber.Secret, clock.GetUtcNow()), cancellationToken);
        }

        return OutboxState.Sent;
    }

    private async Task<OutboxState> DeliverMaintenanceAsync(OutboxEntry entry, Subscriber? subscriber, CancellationToken cancellationToken)
    {
        var maintenanceEvent = await store.GetMaintenanceEventAsync(entry.EventId, cancellationToken)
            ?? throw new DeliveryException($"maintenance event {entry.EventId} is not stored", retryable: false);
        var window = await store.GetMaintenanceWindowAsync(maintenanceEvent.WindowId, cancellationToken)
            ?? throw new DeliveryException($"maintenance window {maintenanceEvent.WindowId} is not stored", retryable: false);
        if (entry.RecipientKind == RecipientKind.Channel)
        {
            if (_settings.Channels.FirstOrDefault(c => c.Id == entry.RecipientId) is not { } channel
                || ChannelCatalog.Find(channel.Type) is not { } type)
            {
                return OutboxState.Cancelled;
            }

            var payload = composer.MaintenanceWebhook(window, maintenanceEvent, entry.DeliveryId, unsubscribe: null);
            await type.SendAsync(
                channel,
                composer.MaintenanceResponder(window, maintenanceEvent, entry.DeliveryId, payload),
                new ChannelTransport(http, _mailer, clock),
                cancellationToken);
            return OutboxState.Sent;
        }

        if (subscriber is not { Confirmed: true })
        {
            return OutboxState.Cancelled;
        }

        if (subscriber.Kind == SubscriberKind.Email)
        {
            await Mail().SendAsync(composer.MaintenanceMail(window, maintenanceEvent, subscriber, entry.DeliveryId), cancellationToken);
        }
        else
        {
            var json = composer.MaintenanceWebhook(window, maintenanceEvent, entry.DeliveryId, composer.UnsubscribeUrl(subscriber));
            await http.PostToSubscriberAsync(
                subscriber.Address, json, WebhookSignature.Headers(entry.DeliveryId, json, subscriber.Secret, clock.GetUtcNow()), cancellationToken);
        }

        return OutboxState.Sent;
    }

    private Mailer Mail() => _mailer ?? throw new DeliveryException("notifications.smtp is not configured", retryable: false);

    /// <summary>For a responders' channel: the incident as the Statuspage API shows it, with the facts of this event beside it.</summary>
    private byte[] Payload(IncidentMessages messages, string deliveryId) =>
        messages.Writer.RenderIncidentWebhook(messages.Incident, composer.Facts(messages.Notice, deliveryId, null, clock.GetUtcNow()));

    /// <summary>A claimed message with what its delivery needs, read when it was claimed.</summary>
    /// <param name="Messages">For an incident event: what its recipients are sent; null if the event is not stored.</param>
    private sealed record Delivery(OutboxEntry Entry, Subscriber? Subscriber, IncidentMessages? Messages);

    /// <summary>
    /// One incident event, composed once for every recipient of a batch: the subscribers' e-mail and webhook body
    /// when the first recipient of their kind needs them, so a batch of one kind never renders the other.
    /// </summary>
    private sealed record IncidentMessages(
        IncidentNotice Notice, Lazy<IncidentMail> Mail, Lazy<WebhookBody> Webhook, PublicIncident Incident, StatuspageWriter Writer);

    private sealed record Recorded(OutboxOutcome Outcome, Lanes? From);

    /// <summary>The deliveries of one kind, the messages that wait for them, and their places among the unrecorded.</summary>
    private sealed class Lanes(int count) : IDisposable
    {
        private readonly ConcurrentQueue<Delivery> _forChannels = new();
        private readonly ConcurrentQueue<Delivery> _forSubscribers = new();

        public int Count => count;

        /// <summary>Counts the messages waiting in the queues.</summary>
        public SemaphoreSlim Waiting { get; } = new(0);

        /// <summary>A place for each message that may go out before the outcome of those before it is recorded.</summary>
        public SemaphoreSlim Unrecorded { get; } = new(UnrecordedAtMost(count));

        public bool HalfTaken => Unrecorded.CurrentCount <= UnrecordedAtMost(count) / 2;

        /// <summary>Responders' channels go first: they are told before anyone acts.</summary>
        public void Enqueue(Delivery delivery)
        {
            (delivery.Entry.RecipientKind == RecipientKind.Channel ? _forChannels : _forSubscribers).Enqueue(delivery);
            Waiting.Release();
        }

        public bool TryDequeue([NotNullWhen(true)] out Delivery? delivery) =>
            _forChannels.TryDequeue(out delivery) || _forSubscribers.TryDequeue(out delivery);

        /// <summary>Gives back the places of messages whose outcome is now written.</summary>
        public void Release(int recorded)
        {
            if (recorded > 0)
            {
                Unrecorded.Release(recorded);
            }
        }

        public void Dispose()
        {
            Waiting.Dispose();
            Unrecorded.Dispose();
        }
    }
}
