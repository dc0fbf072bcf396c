using Candor.Configuration;
using Candor.Hosting;
using Candor.Incidents;
using Candor.Notifications.Channels;
using Candor.StatusPage.Api;
using Candor.Storage;

namespace Candor.Notifications;

/// <summary>
/// Delivers the outbox: claims due messages (responders' channels first), sends each, and records the outcome;
/// a failure is tried again after a wait that doubles each time, and after <c>max_attempts</c> the message is
/// dead, for an admin to see and retry.
/// </summary>
/// <remarks>
/// <para>
/// Toward the network delivery is at least once; as the recipient sees it, exactly once. A message is marked
/// sending, with a lease, in its own transaction before anything goes out, and marked sent in another as soon
/// as the relay has answered 250 to the end of DATA (or the webhook 2xx). A crash between those two leaves the
/// one message in flight as sending; when its lease runs out the message is sent again, because nothing can tell
/// whether the relay took it, and losing a notice (the resolution, say) is the worse error. The copy carries
/// the same Message-ID (the same X-Candor-Delivery for a webhook), derived from the event and the recipient
/// alone, so mail systems and receivers that drop a Message-ID they already hold show it once.
/// </para>
/// <para>
/// Only messages in flight at the moment of a crash can be repeated: at most <c>parallel</c> per server. A message
/// not yet claimed, or already marked sent, is never sent twice; a pending or sending row is never lost.
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
    /// <summary>How often the outbox is looked at when nothing signals new work (retries fall due, other replicas write).</summary>
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LongestBackoff = TimeSpan.FromHours(1);

    private readonly NotificationsConfig _settings = config.Notifications;
    private readonly Mailer? _mailer = config.Notifications.Smtp is { } smtp
        ? new Mailer(smtp, config.Page.Name, config.Notifications.Parallel, clock)
        : null;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _slots = new(config.Notifications.Parallel, config.Notifications.Parallel);

    /// <summary>Says that there may be new messages, so they go out now rather than at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one look at the outbox covers both.
        }
    }

    public override void Dispose()
    {
        feed.Changed -= Wake;
        _wake.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        feed.Changed += Wake;
        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                running.RemoveAll(task => task.IsCompleted);
                await _slots.WaitAsync(stoppingToken);
                var free = 1;
                while (free < _settings.Parallel && _slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                IReadOnlyList<OutboxEntry> claimed = [];
                try
                {
                    var now = clock.StoredNow();
                    claimed = await store.ClaimOutboxAsync(free, now, now + _settings.Lease, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogError(exception, "Claiming notifications failed");
                }

                if (claimed.Count < free)
                {
                    _slots.Release(free - claimed.Count);
                }
                foreach (var entry in claimed)
                {
                    running.Add(RunAsync(entry, stoppingToken));
                }

                if (claimed.Count == 0)
                {
                    await WaitForWorkAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
        if (_mailer is not null)
        {
            await _mailer.DisposeAsync();
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var poll = new CancellationTokenSource(PollEvery, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, poll.Token);
        try
        {
            await _wake.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(OutboxEntry entry, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            OutboxState outcome;
            using (var timeout = new CancellationTokenSource(_settings.Timeout, clock))
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token))
            {
                outcome = await DeliverAsync(entry, either.Token);
            }

            await store.FinishOutboxAsync(entry.Id, outcome, clock.StoredNow(), null, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whether it went out is unknown, so it goes again, under the same Message-ID.
            await FinishQuietlyAsync(entry.Id, OutboxState.Pending, clock.StoredNow(), "interrupted by shutdown");
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
                await FinishQuietlyAsync(entry.Id, OutboxState.Pending, now + Backoff(entry.Attempts), error);
            }
            else
            {
                logger.LogError("Delivery {Id} to {Kind} {Recipient} is dead after {Attempts} attempt(s): {Error}",
                    entry.Id, entry.RecipientKind, entry.RecipientId, entry.Attempts, error);
                await FinishQuietlyAsync(entry.Id, OutboxState.Dead, now, error);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>A row that cannot be updated now stays sending, and its lease brings it back: nothing is lost.</summary>
    private async Task FinishQuietlyAsync(long id, OutboxState state, DateTimeOffset at, string error)
    {
        try
        {
            await store.FinishOutboxAsync(id, state, at, error, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Recording the outcome of delivery {Id} failed", id);
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var wait = _settings.Backoff * Math.Pow(2, Math.Min(attempts - 1, 20));
        return wait < LongestBackoff ? wait : LongestBackoff;
    }

    /// <returns>Sent, or cancelled when the recipient no longer wants it (unsubscribed, channel removed).</returns>
    private async Task<OutboxState> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var subscriber = entry.RecipientKind == RecipientKind.Subscriber
            ? await store.GetSubscriberAsync(entry.RecipientId, cancellationToken)
            : null;
        if (entry.Message == OutboxMessage.Confirmation)
        {
            // A newer request replaced this link, or the address confirmed already: this one is moot.
            if (subscriber is not { Confirmed: false, ConfirmToken: { } token } || OutboxEntry.ConfirmationEventId(token) != entry.EventId)
            {
                return OutboxState.Cancelled;
            }

            await Mail().SendAsync(composer.ConfirmationMail(subscriber, entry.DeliveryId), cancellationToken);
            return OutboxState.Sent;
        }

        if (entry.Message == OutboxMessage.Maintenance)
        {
            return await DeliverMaintenanceAsync(entry, subscriber, cancellationToken);
        }

        var incidentEvent = await store.GetIncidentEventAsync(entry.EventId, cancellationToken);
        var incident = entry.IncidentId is null ? null : await store.GetIncidentAsync(entry.IncidentId, cancellationToken);
        if (incidentEvent is null || incident is null)
        {
            throw new DeliveryException($"event {entry.EventId} of incident {entry.IncidentId} is not stored", retryable: false);
        }

        var notice = composer.Notice(incident, incidentEvent);
        if (entry.RecipientKind == RecipientKind.Channel)
        {
            if (_settings.Channels.FirstOrDefault(c => c.Id == entry.RecipientId) is not { } channel
                || ChannelCatalog.Find(channel.Type) is not { } type)
            {
                return OutboxState.Cancelled;
            }

            var json = await PayloadAsync(notice, entry.DeliveryId, null, cancellationToken);
            await type.SendAsync(
                channel, composer.Responder(notice, entry.DeliveryId, json), new ChannelTransport(http, _mailer, clock), cancellationToken);
            return OutboxState.Sent;
        }

        if (subscriber is not { Confirmed: true })
        {
            return OutboxState.Cancelled;
        }

        if (subscriber.Kind == SubscriberKind.Email)
        {
            await Mail().SendAsync(composer.SubscriberMail(notice, subscriber, entry.DeliveryId), cancellationToken);
        }
        else
        {
            var json = await PayloadAsync(notice, entry.DeliveryId, composer.UnsubscribeUrl(subscriber), cancellationToken);
            await http.PostJsonAsync(
                subscriber.Address, json, WebhookSignature.Headers(entry.DeliveryId, json, subscriber.Secret, clock.GetUtcNow()), cancellationToken);
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
            await http.PostJsonAsync(
                subscriber.Address, json, WebhookSignature.Headers(entry.DeliveryId, json, subscriber.Secret, clock.GetUtcNow()), cancellationToken);
        }

        return OutboxState.Sent;
    }

    private Mailer Mail() => _mailer ?? throw new DeliveryException("notifications.smtp is not configured", retryable: false);

    /// <summary>The incident as the Statuspage API shows it, with the facts of this event beside it.</summary>
    private async Task<byte[]> PayloadAsync(IncidentNotice notice, string deliveryId, string? unsubscribe, CancellationToken cancellationToken)
    {
        var timeline = await store.GetIncidentEventsAsync(notice.Incident.Id, cancellationToken);
        return new StatuspageWriter(snapshots.Current).RenderIncidentWebhook(
            new PublicIncident(notice.Incident, timeline), composer.Facts(notice, deliveryId, unsubscribe, clock.GetUtcNow()));
    }
}
