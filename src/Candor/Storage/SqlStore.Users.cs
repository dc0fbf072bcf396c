using System.Data.Common;
using Candor.Notifications;

namespace Candor.Storage;

/// <summary>
/// Console users, their lock-out, the key ring their sessions are protected with, and the delivery log the console
/// shows beside an incident.
/// </summary>
internal sealed partial class SqlStore
{
    private const string UserColumns = "name, role, password_hash, created_at, failed_sign_ins, locked_until, last_sign_in_at";

    public async Task<bool> AddUserAsync(ConsoleUser user, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO users (name, role, password_hash, created_at, failed_sign_ins, locked_until, last_sign_in_at)
            VALUES (@name, @role, @password_hash, @created_at, @failed_sign_ins, @locked_until, @last_sign_in_at)
            ON CONFLICT (name) DO NOTHING
            """,
            ("name", user.Name),
            ("role", StoredValues.Name(user.Role)),
            ("password_hash", user.PasswordHash),
            ("created_at", StoredValues.UnixMs(user.CreatedAt)),
            ("failed_sign_ins", user.FailedSignIns),
            ("locked_until", StoredValues.UnixMs(user.LockedUntil)),
            ("last_sign_in_at", StoredValues.UnixMs(user.LastSignInAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<string>> GetDataProtectionKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT xml FROM data_protection_keys ORDER BY id");
        return await ReadAllAsync(command, reader => reader.GetString(0), cancellationToken);
    }

    public async Task AddDataProtectionKeyAsync(string name, string xml, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, "INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml)", ("name", name), ("xml", xml));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ConsoleUser?> GetUserAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT " + UserColumns + " FROM users WHERE name = @name", ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    public async Task<IReadOnlyList<ConsoleUser>> GetUsersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT " + UserColumns + " FROM users ORDER BY name");
        return await ReadAllAsync(command, ReadUser, cancellationToken);
    }

    public async Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(connection, "DELETE FROM users WHERE name = @name", ("name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <remarks>SET reads the row as it was before the update on both engines, so each CASE sees the old count.</remarks>
    public async Task<ConsoleUser?> RecordFailedSignInAsync(
        string name, int limit, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            UPDATE users SET
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @limit THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN failed_sign_ins + 1 >= @limit THEN @lock_until ELSE locked_until END
            WHERE name = @name
            RETURNING
            """ + " " + UserColumns,
            ("limit", limit),
            ("lock_until", StoredValues.UnixMs(lockUntil)),
            ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    public async Task RecordSignInAsync(string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var writer = await dialect.EnterWriterAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = @at WHERE name = @name",
            ("at", StoredValues.UnixMs(at)),
            ("name", name));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxEntry>> GetIncidentDeliveriesAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = Command(
            connection, $"SELECT {OutboxColumns} FROM outbox WHERE incident_id = @incident_id ORDER BY id", ("incident_id", incidentId));
        return await ReadAllAsync(command, ReadOutbox, cancellationToken);
    }

    private static ConsoleUser ReadUser(DbDataReader reader) =>
        new(
            reader.GetString(0),
            StoredValues.Parse<ApiRole>(reader.GetString(1)),
            reader.GetString(2),
            StoredValues.FromUnixMs(reader.GetInt64(3)))
        {
            FailedSignIns = reader.GetInt32(4),
            LockedUntil = StoredValues.FromUnixMs(reader.GetNullableInt64(5)),
            LastSignInAt = StoredValues.FromUnixMs(reader.GetNullableInt64(6)),
        };
}
