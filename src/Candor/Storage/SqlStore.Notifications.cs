using System.Data.Common;
using System.Globalization;
using System.Text;
using Candor.Incidents;
using Candor.Notifications;

namespace Candor.Storage;

/// <summary>Subscribers and the outbox: the same SQL on both engines but for how rows are claimed.</summary>
internal sealed partial class SqlStore
{
    private const string SubscriberColumns =
        "id, kind, address, scope, secret, token, confirm_token, confirm_expires_at, confirmed_at, created_at, contact";

    private const string OutboxColumns =
        "id, event_id, incident_id, message, recipient_kind, recipient_id, state, attempts, next_attempt_at, lease_until, " +
        "last_error, created_at, sent_at";

    private const string InsertOutboxColumns =
        "INSERT INTO outbox (event_id, incident_id, message, recipient_kind, recipient_id, priority, state, attempts, " +
        "next_attempt_at, created_at)";

    /// <summary>A subscriber that follows every component has this scope and no component rows.</summary>
    private const string PageScope = "page";

    private const string ComponentsScope = "components";

    /// <summary>The subscriber whose confirmation link (<c>@token</c>) still works at <c>@now</c>.</summary>
    private const string PendingCondition = "confirm_token = @token AND confirm_expires_at > @now";

    private static readonly string Sending = StoredValues.Name(OutboxState.Sending);

    private static readonly RowStatement<OutboxOutcome> MarkSent = new(
        """
        UPDATE outbox SET state = @state, sent_at = @at, lease_until = NULL, last_error = NULL
        WHERE id = @id AND state = @sending
        """,
        new("state", outcome => StoredValues.Name(outcome.State)),
        new("at", outcome => StoredValues.UnixMs(outcome.At)),
        new("id", outcome => outcome.Id),
        new("sending", _ => Sending));

    private static readonly RowStatement<OutboxOutcome> MarkFinished = new(
        """
        UPDATE outbox SET state = @state, next_attempt_at = @at, lease_until = NULL, last_error = @error
        WHERE id = @id AND state = @sending
        """,
        new("state", outcome => StoredValues.Name(outcome.State)),
        new("at", outcome => StoredValues.UnixMs(outcome.At)),
        new("error", outcome => outcome.Error),
        new("id", outcome => outcome.Id),
        new("sending", _ => Sending));

    private static readonly RowStatement<OutboxOutcome> GiveBack = new(
        """
        UPDATE outbox SET state = @state, next_attempt_at = @at, lease_until = NULL, attempts = attempts - 1
        WHERE id = @id AND state = @sending
        """,
        new("state", outcome => StoredValues.Name(outcome.State)),
        new("at", outcome => StoredValues.UnixMs(outcome.At)),
        new("id", outcome => outcome.Id),
        new("sending", _ => Sending));

    public async Task<IncidentEvent?> GetIncidentEventAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, "SELECT " + IncidentRows.EventColumns + " FROM incident_events WHERE id = @id", ("id", eventId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? IncidentRows.ReadEvent(reader) : null;
    }

    public async Task<bool> AddSubscriberAsync(Subscriber subscriber, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await InsertSubscriberAsync(transaction, subscriber, cancellationToken))
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> RequestSubscriptionAsync(Subscriber pending, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = pending.Id;
        if (!await InsertSubscriberAsync(transaction, pending, cancellationToken))
        {
            Subscriber existing;
            await using (var command = Command(
                transaction,
                "SELECT " + SubscriberColumns + " FROM subscribers WHERE kind = @kind AND address = @address",
                ("kind", StoredValues.Name(pending.Kind)),
                ("address", pending.Address)))
            {
                existing = (await ReadSubscribersAsync(command, cancellationToken))[0];
            }

            if (existing.Confirmed)
            {
                return false;
            }

            id = existing.Id;
            await ExecuteAsync(
                transaction,
                """
                UPDATE subscribers SET confirm_token = @confirm_token, confirm_expires_at = @confirm_expires_at, scope = @scope,
                    contact = @contact, secret = @secret
                WHERE id = @id
                """,
                cancellationToken,
                ("confirm_token", pending.ConfirmToken),
                ("confirm_expires_at", StoredValues.UnixMs(pending.ConfirmExpiresAt)),
                ("scope", pending.Components is null ? PageScope : ComponentsScope),
                ("contact", pending.Contact),
                ("secret", pending.Secret),
                ("id", id));
            await ExecuteAsync(transaction, "DELETE FROM subscriber_components WHERE subscriber_id = @id", cancellationToken, ("id", id));
            await InsertComponentsAsync(transaction, id, pending.Components, cancellationToken);
        }

        var at = StoredValues.UnixMs(pending.CreatedAt);
        await ExecuteAsync(
            transaction,
            InsertOutboxColumns + """

            VALUES (@event_id, NULL, @message, @recipient_kind, @recipient_id, 1, @state, 0, @at, @at)
            ON CONFLICT (event_id, recipient_kind, recipient_id) DO NOTHING
            """,
            cancellationToken,
            ("event_id", OutboxEntry.ConfirmationEventId(pending.ConfirmToken!)),
            ("message", StoredValues.Name(OutboxMessage.Confirmation)),
            ("recipient_kind", StoredValues.Name(RecipientKind.Subscriber)),
            ("recipient_id", id),
            ("state", StoredValues.Name(OutboxState.Pending)),
            ("at", at));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<Subscriber?> FindPendingSubscriberAsync(string confirmToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await SubscriberWhereAsync(
            connection, null, PendingCondition, cancellationToken, ("token", confirmToken), ("now", StoredValues.UnixMs(now)));
    }

    public async Task<Subscriber?> ConfirmSubscriberAsync(string confirmToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = await SubscriberWhereAsync(
            connection, transaction, PendingCondition, cancellationToken, ("token", confirmToken), ("now", StoredValues.UnixMs(now)));
        if (found is null)
        {
            return null;
        }

        await ExecuteAsync(
            transaction,
            "UPDATE subscribers SET confirmed_at = @now, confirm_token = NULL, confirm_expires_at = NULL WHERE id = @id",
            cancellationToken,
            ("now", StoredValues.UnixMs(now)),
            ("id", found.Id));
        await transaction.CommitAsync(cancellationToken);
        return found with { ConfirmedAt = now, ConfirmToken = null, ConfirmExpiresAt = null };
    }

    public async Task<Subscriber?> GetSubscriberAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await SubscriberWhereAsync(connection, null, "id = @id", cancellationToken, ("id", id));
    }

    public async Task<Subscriber?> FindSubscriberByTokenAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await SubscriberWhereAsync(connection, null, "token = @token", cancellationToken, ("token", token));
    }

    public async Task<IReadOnlyList<Subscriber>> GetSubscribersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        List<Subscriber> subscribers;
        await using (var command = Command(connection, "SELECT " + SubscriberColumns + " FROM subscribers ORDER BY created_at, id"))
        {
            subscribers = await ReadSubscribersAsync(command, cancellationToken);
        }

        await using var components = Command(
            connection, "SELECT subscriber_id, component_id FROM subscriber_components ORDER BY subscriber_id, component_id");
        return await WithComponentsAsync(subscribers, components, cancellationToken);
    }

    public async Task<IReadOnlyList<Subscriber>> GetSubscribersAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var list = ("ids", dialect.TextList(ids));
        await using var connection = await dialect.OpenAsync(cancellationToken);
        List<Subscriber> subscribers;
        await using (var command = Command(connection, $"SELECT {SubscriberColumns} FROM subscribers WHERE {dialect.IsOneOf("id", "ids")}", list))
        {
            subscribers = await ReadSubscribersAsync(command, cancellationToken);
        }

        await using var components = Command(
            connection,
            $"SELECT subscriber_id, component_id FROM subscriber_components WHERE {dialect.IsOneOf("subscriber_id", "ids")} ORDER BY subscriber_id, component_id",
            list);
        return await WithComponentsAsync(subscribers, components, cancellationToken);
    }

    /// <remarks>Messages not yet under way to the subscriber are cancelled with it.</remarks>
    public async Task<bool> RemoveSubscriberAsync(string id, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(transaction, "DELETE FROM subscriber_components WHERE subscriber_id = @id", cancellationToken, ("id", id));
        await using var delete = Command(transaction, "DELETE FROM subscribers WHERE id = @id", ("id", id));
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await ExecuteAsync(
            transaction,
            "UPDATE outbox SET state = @cancelled WHERE recipient_kind = @kind AND recipient_id = @id AND state = @pending",
            cancellationToken,
            ("cancelled", StoredValues.Name(OutboxState.Cancelled)),
            ("kind", StoredValues.Name(RecipientKind.Subscriber)),
            ("id", id),
            ("pending", StoredValues.Name(OutboxState.Pending)));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <remarks>The states are written out in the SQL, as the claim index's condition is, for the planner to match them.</remarks>
    public async Task<IReadOnlyList<OutboxEntry>> ClaimOutboxAsync(
        int limit, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        IReadOnlyList<OutboxEntry> claimed;
        await using (var command = Command(
            transaction,
            $"""
            UPDATE outbox SET state = @sending, attempts = attempts + 1, lease_until = @lease_until
            WHERE id IN (
                SELECT id FROM outbox {dialect.ClaimIndex}
                WHERE state IN ('pending', 'sending')
                    AND ((state = @pending AND next_attempt_at <= @now) OR (state = @sending AND lease_until <= @now))
                ORDER BY priority, id
                LIMIT @limit
                {dialect.SkipLocked})
            RETURNING {OutboxColumns}
            """,
            ("sending", StoredValues.Name(OutboxState.Sending)),
            ("pending", StoredValues.Name(OutboxState.Pending)),
            ("lease_until", StoredValues.UnixMs(leaseUntil)),
            ("now", StoredValues.UnixMs(now)),
            ("limit", limit)))
        {
            claimed = await ReadAllAsync(command, ReadOutbox, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return [.. claimed.OrderBy(entry => entry.RecipientKind).ThenBy(entry => entry.Id)];
    }

    public async Task FinishOutboxAsync(IReadOnlyList<OutboxOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await dialect.ExecuteEachAsync(transaction, MarkSent, [.. outcomes.Where(o => o.State == OutboxState.Sent)], cancellationToken);
        await dialect.ExecuteEachAsync(
            transaction, MarkFinished, [.. outcomes.Where(o => o.State != OutboxState.Sent && o.Attempted)], cancellationToken);
        await dialect.ExecuteEachAsync(transaction, GiveBack, [.. outcomes.Where(o => !o.Attempted)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> RenewOutboxLeaseAsync(
        long id, DateTimeOffset heldUntil, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "UPDATE outbox SET lease_until = @lease_until WHERE id = @id AND state = @sending AND lease_until = @held_until",
            ("lease_until", StoredValues.UnixMs(leaseUntil)),
            ("id", id),
            ("sending", StoredValues.Name(OutboxState.Sending)),
            ("held_until", StoredValues.UnixMs(heldUntil)));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<OutboxEntry>> GetOutboxAsync(
        OutboxState? state, string? subscriberId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("limit", limit) };
        if (state is { } wanted)
        {
            where.Add("state = @state");
            parameters.Add(("state", StoredValues.Name(wanted)));
        }

        if (subscriberId is not null)
        {
            where.Add("recipient_kind = @kind AND recipient_id = @recipient_id");
            parameters.Add(("kind", StoredValues.Name(RecipientKind.Subscriber)));
            parameters.Add(("recipient_id", subscriberId));
        }

        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, $"SELECT {OutboxColumns} FROM outbox{filter} ORDER BY id DESC LIMIT @limit", [.. parameters]);
        return await ReadAllAsync(command, ReadOutbox, cancellationToken);
    }

    public async Task<bool> RetryOutboxAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "UPDATE outbox SET state = @pending, attempts = 0, next_attempt_at = @now WHERE id = @id AND state = @dead",
            ("pending", StoredValues.Name(OutboxState.Pending)),
            ("now", StoredValues.UnixMs(now)),
            ("id", id),
            ("dead", StoredValues.Name(OutboxState.Dead)));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// The outbox rows of every event that delivers notifications: one per responder channel, and, when the event
    /// is for subscribers, one per confirmed subscriber of the whole page or of one of the incident's components,
    /// selected inside the database so that a thousand subscribers cost one statement.
    /// </summary>
    private async Task FanOutAsync(DbTransaction transaction, IncidentChanges changes, CancellationToken cancellationToken)
    {
        foreach (var incidentEvent in changes.Events.Where(e => e.DeliverNotifications))
        {
            var common = new List<(string Name, object? Value)>
            {
                ("event_id", incidentEvent.Id),
                ("incident_id", incidentEvent.IncidentId),
                ("message", StoredValues.Name(OutboxMessage.Incident)),
                ("state", StoredValues.Name(OutboxState.Pending)),
                ("at", StoredValues.UnixMs(incidentEvent.At)),
            };
            foreach (var channel in changes.ResponderChannels)
            {
                await FanOutToChannelAsync(transaction, common, channel, cancellationToken);
            }

            if (!incidentEvent.NotifySubscribers)
            {
                continue;
            }

            var components = changes.Incidents.LastOrDefault(i => i.Id == incidentEvent.IncidentId)?.ComponentIds
                ?? await StoredComponentIdsAsync(transaction, incidentEvent.IncidentId, cancellationToken);
            await FanOutToSubscribersAsync(transaction, common, components, cancellationToken);
        }
    }

    /// <summary>
    /// A public maintenance event that notifies goes to the subscribers of the page or of one of its components;
    /// a failure inside the window goes to the responders' channels that asked for it.
    /// </summary>
    private async Task FanOutAsync(DbTransaction transaction, MaintenanceChanges changes, CancellationToken cancellationToken)
    {
        foreach (var maintenanceEvent in changes.Events.Where(e => e.DeliverNotifications))
        {
            var window = changes.Windows.LastOrDefault(w => w.Id == maintenanceEvent.WindowId)
                ?? await GetMaintenanceWindowAsync(transaction, maintenanceEvent.WindowId, cancellationToken);
            List<(string Name, object? Value)> common =
            [
                ("event_id", maintenanceEvent.Id),
                ("incident_id", null),
                ("message", StoredValues.Name(OutboxMessage.Maintenance)),
                ("state", StoredValues.Name(OutboxState.Pending)),
                ("at", StoredValues.UnixMs(maintenanceEvent.At)),
            ];
            if (maintenanceEvent.Public)
            {
                await FanOutToSubscribersAsync(transaction, common, window?.ComponentIds ?? [], cancellationToken);
                continue;
            }

            foreach (var channel in changes.ResponderChannels)
            {
                await FanOutToChannelAsync(transaction, common, channel, cancellationToken);
            }
        }
    }

    /// <summary>One outbox row for a responders' channel; channels are told before subscribers.</summary>
    private static Task FanOutToChannelAsync(
        DbTransaction transaction, IReadOnlyList<(string Name, object? Value)> common, string channel, CancellationToken cancellationToken) =>
        ExecuteAsync(
            transaction,
            InsertOutboxColumns + """

            VALUES (@event_id, @incident_id, @message, @recipient_kind, @channel, 0, @state, 0, @at, @at)
            ON CONFLICT (event_id, recipient_kind, recipient_id) DO NOTHING
            """,
            cancellationToken,
            [.. common, ("recipient_kind", StoredValues.Name(RecipientKind.Channel)), ("channel", channel)]);

    /// <summary>
    /// One outbox row per confirmed subscriber of the whole page or of one of the components, selected inside the
    /// database so that a thousand subscribers cost one statement.
    /// </summary>
    private static async Task FanOutToSubscribersAsync(
        DbTransaction transaction,
        IReadOnlyList<(string Name, object? Value)> common,
        IReadOnlyList<string> components,
        CancellationToken cancellationToken)
    {
        var parameters = new List<(string Name, object? Value)>(common)
        {
            ("recipient_kind", StoredValues.Name(RecipientKind.Subscriber)),
            ("page_scope", PageScope),
        };
        var followed = new StringBuilder();
        for (var i = 0; i < components.Count; i++)
        {
            followed.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@component_{i}");
            parameters.Add(($"component_{i}", components[i]));
        }

        var componentMatch = components.Count == 0
            ? ""
            : $"""
               OR EXISTS (SELECT 1 FROM subscriber_components c
                  WHERE c.subscriber_id = s.id AND c.component_id IN ({followed}))
              """;
        await ExecuteAsync(
            transaction,
            InsertOutboxColumns + $"""

            SELECT @event_id, @incident_id, @message, @recipient_kind, s.id, 1, @state, 0, @at, @at
            FROM subscribers s
            WHERE s.confirmed_at IS NOT NULL AND (s.scope = @page_scope{componentMatch})
            ON CONFLICT (event_id, recipient_kind, recipient_id) DO NOTHING
            """,
            cancellationToken,
            [.. parameters]);
    }

    private static async Task<IReadOnlyList<string>> StoredComponentIdsAsync(
        DbTransaction transaction, string incidentId, CancellationToken cancellationToken)
    {
        await using var command = Command(
            transaction, "SELECT " + IncidentRows.IncidentColumns + " FROM incidents WHERE id = @id", ("id", incidentId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? IncidentRows.ReadIncident(reader).ComponentIds : [];
    }

    /// <returns>False, with nothing stored, when the kind and address are already subscribed.</returns>
    private static async Task<bool> InsertSubscriberAsync(DbTransaction transaction, Subscriber subscriber, CancellationToken cancellationToken)
    {
        await using var insert = Command(
            transaction,
            "INSERT INTO subscribers (" + SubscriberColumns + """
            )
            VALUES (@id, @kind, @address, @scope, @secret, @token, @confirm_token, @confirm_expires_at, @confirmed_at, @created_at, @contact)
            ON CONFLICT (kind, address) DO NOTHING
            """,
            ("id", subscriber.Id),
            ("kind", StoredValues.Name(subscriber.Kind)),
            ("address", subscriber.Address),
            ("scope", subscriber.Components is null ? PageScope : ComponentsScope),
            ("secret", subscriber.Secret),
            ("token", subscriber.Token),
            ("confirm_token", subscriber.ConfirmToken),
            ("confirm_expires_at", StoredValues.UnixMs(subscriber.ConfirmExpiresAt)),
            ("confirmed_at", StoredValues.UnixMs(subscriber.ConfirmedAt)),
            ("created_at", StoredValues.UnixMs(subscriber.CreatedAt)),
            ("contact", subscriber.Contact));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await InsertComponentsAsync(transaction, subscriber.Id, subscriber.Components, cancellationToken);
        return true;
    }

    private static async Task InsertComponentsAsync(
        DbTransaction transaction, string subscriberId, IReadOnlyList<string>? components, CancellationToken cancellationToken)
    {
        foreach (var component in (components ?? []).Distinct(StringComparer.Ordinal))
        {
            await ExecuteAsync(
                transaction,
                "INSERT INTO subscriber_components (subscriber_id, component_id) VALUES (@id, @component)",
                cancellationToken,
                ("id", subscriberId),
                ("component", component));
        }
    }

    /// <param name="transaction">The transaction to read in, if any.</param>
    private static async Task<Subscriber?> SubscriberWhereAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string condition,
        CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        Subscriber? found;
        await using (var command = Command(connection, $"SELECT {SubscriberColumns} FROM subscribers WHERE {condition}", parameters))
        {
            command.Transaction = transaction;
            found = (await ReadSubscribersAsync(command, cancellationToken)).FirstOrDefault();
        }

        if (found?.Components is null)
        {
            return found;
        }

        await using var components = Command(
            connection,
            "SELECT component_id FROM subscriber_components WHERE subscriber_id = @id ORDER BY component_id",
            ("id", found.Id));
        components.Transaction = transaction;
        return found with { Components = await ReadAllAsync(components, reader => reader.GetString(0), cancellationToken) };
    }

    /// <summary>Subscribers as their own rows say; a component-scoped one gets an empty list for the caller to fill.</summary>
    private static async Task<List<Subscriber>> ReadSubscribersAsync(DbCommand command, CancellationToken cancellationToken) =>
        [.. await ReadAllAsync(
            command,
            reader => new Subscriber
            {
                Id = reader.GetString(0),
                Kind = StoredValues.Parse<SubscriberKind>(reader.GetString(1)),
                Address = reader.GetString(2),
                Components = reader.GetString(3) == PageScope ? null : [],
                Secret = reader.GetNullableString(4),
                Token = reader.GetString(5),
                ConfirmToken = reader.GetNullableString(6),
                ConfirmExpiresAt = StoredValues.FromUnixMs(reader.GetNullableInt64(7)),
                ConfirmedAt = StoredValues.FromUnixMs(reader.GetNullableInt64(8)),
                CreatedAt = StoredValues.FromUnixMs(reader.GetInt64(9)),
                Contact = reader.GetNullableString(10),
            },
            cancellationToken)];

    /// <summary>Fills in the components of the component-scoped subscribers from (subscriber_id, component_id) rows.</summary>
    private static async Task<List<Subscriber>> WithComponentsAsync(
        List<Subscriber> subscribers, DbCommand components, CancellationToken cancellationToken)
    {
        var followed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using (var reader = await components.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var subscriberId = reader.GetString(0);
                if (!followed.TryGetValue(subscriberId, out var list))
                {
                    followed[subscriberId] = list = [];
                }

                list.Add(reader.GetString(1));
            }
        }

        return [.. subscribers.Select(s => s.Components is null ? s : s with { Components = followed.GetValueOrDefault(s.Id) ?? [] })];
    }

    private static OutboxEntry ReadOutbox(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        EventId = reader.GetString(1),
        IncidentId = reader.GetNullableString(2),
        Message = StoredValues.Parse<OutboxMessage>(reader.GetString(3)),
        RecipientKind = StoredValues.Parse<RecipientKind>(reader.GetString(4)),
        RecipientId = reader.GetString(5),
        State = StoredValues.Parse<OutboxState>(reader.GetString(6)),
        Attempts = reader.GetInt32(7),
        NextAttemptAt = StoredValues.FromUnixMs(reader.GetInt64(8)),
        LeaseUntil = StoredValues.FromUnixMs(reader.GetNullableInt64(9)),
        LastError = reader.GetNullableString(10),
        CreatedAt = StoredValues.FromUnixMs(reader.GetInt64(11)),
        SentAt = StoredValues.FromUnixMs(reader.GetNullableInt64(12)),
    };
}
