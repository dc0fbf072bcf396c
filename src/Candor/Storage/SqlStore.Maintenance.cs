using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Candor.Maintenance;

namespace Candor.Storage;

/// <summary>Maintenance windows and their timelines, stored as JSON documents beside the columns queries use.</summary>
internal sealed partial class SqlStore
{
    private static readonly JsonSerializerOptions DocumentJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly RowStatement<MaintenanceWindow> UpsertWindow = new(
        """
        INSERT INTO maintenance_windows (id, state, scheduled_for, created_at, document)
        VALUES (@id, @state, @scheduled_for, @created_at, @document)
        ON CONFLICT (id) DO UPDATE SET
            state = excluded.state,
            scheduled_for = excluded.scheduled_for,
            document = excluded.document
        """,
        new("id", window => window.Id),
        new("state", window => StoredValues.Name(window.State)),
        new("scheduled_for", window => StoredValues.UnixMs(window.ScheduledFor)),
        new("created_at", window => StoredValues.UnixMs(window.CreatedAt)),
        new("document", window => JsonSerializer.Serialize(window, DocumentJson)));

    private static readonly RowStatement<MaintenanceEvent> AppendWindowEvent = new(
        """
        INSERT INTO maintenance_events (id, window_id, at, document)
        VALUES (@id, @window_id, @at, @document)
        ON CONFLICT (id) DO NOTHING
        """,
        new("id", e => e.Id),
        new("window_id", e => e.WindowId),
        new("at", e => StoredValues.UnixMs(e.At)),
        new("document", e => JsonSerializer.Serialize(e, DocumentJson)));

    public async Task<IReadOnlyList<MaintenanceWindow>> GetMaintenanceWindowsAsync(int recent, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recent);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var over = new[] { MaintenanceState.Completed, MaintenanceState.Failed, MaintenanceState.Cancelled }
            .Select(StoredValues.Name)
            .ToList();
        await using var current = Command(
            connection,
            "SELECT document FROM maintenance_windows WHERE state NOT IN (@a, @b, @c) ORDER BY scheduled_for",
            ("a", over[0]), ("b", over[1]), ("c", over[2]));
        var windows = (await ReadAllAsync(current, ReadWindow, cancellationToken)).ToList();
        await using var past = Command(
            connection,
            "SELECT document FROM maintenance_windows WHERE state IN (@a, @b, @c) ORDER BY scheduled_for DESC LIMIT @limit",
            ("a", over[0]), ("b", over[1]), ("c", over[2]), ("limit", recent));
        windows.AddRange(await ReadAllAsync(past, ReadWindow, cancellationToken));
        return windows;
    }

    public async Task<MaintenanceWindow?> GetMaintenanceWindowAsync(string windowId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT document FROM maintenance_windows WHERE id = @id", ("id", windowId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadWindow(reader) : null;
    }

    public async Task<IReadOnlyList<MaintenanceEvent>> GetMaintenanceEventsAsync(string windowId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, "SELECT document FROM maintenance_events WHERE window_id = @id ORDER BY at, seq", ("id", windowId));
        return await ReadAllAsync(
            command, reader => JsonSerializer.Deserialize<MaintenanceEvent>(reader.GetString(0), DocumentJson)!, cancellationToken);
    }

    public async Task SaveMaintenanceChangesAsync(MaintenanceChanges changes, CancellationToken cancellationToken)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteMaintenanceChangesAsync(transaction, changes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task WriteMaintenanceChangesAsync(DbTransaction transaction, MaintenanceChanges changes, CancellationToken cancellationToken)
    {
        var windows = changes.Windows
            .GroupBy(window => window.Id)
            .Select(group => group.Last())
            .OrderBy(window => window.Id, StringComparer.Ordinal)
            .ToList();
        await dialect.ExecuteEachAsync(transaction, UpsertWindow, windows, cancellationToken);
        await dialect.ExecuteEachAsync(transaction, AppendWindowEvent, changes.Events, cancellationToken);
        await FanOutAsync(transaction, changes, cancellationToken);
    }

    public async Task<MaintenanceEvent?> GetMaintenanceEventAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT document FROM maintenance_events WHERE id = @id", ("id", eventId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? JsonSerializer.Deserialize<MaintenanceEvent>(reader.GetString(0), DocumentJson)
            : null;
    }

    private static async Task<MaintenanceWindow?> GetMaintenanceWindowAsync(
        DbTransaction transaction, string windowId, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction, "SELECT document FROM maintenance_windows WHERE id = @id", ("id", windowId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadWindow(reader) : null;
    }

    private static MaintenanceWindow ReadWindow(DbDataReader reader) =>
        JsonSerializer.Deserialize<MaintenanceWindow>(reader.GetString(0), DocumentJson)!;
}
