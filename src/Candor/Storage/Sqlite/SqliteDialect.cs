using System.Data.Common;
using System.Text;
using System.Text.Json;
using Candor.Monitoring;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Candor.Storage.Sqlite;

/// <summary>
/// The embedded store. SQLite allows one writer at a time, so this process queues its writers itself rather than
/// letting them collide and wait on SQLITE_BUSY; the busy timeout covers another process on the same file.
/// </summary>
internal sealed class SqliteDialect : ISqlDialect
{
    /// <summary>
    /// WAL lets readers run beside the writer; NORMAL is durable across crashes of the process (only a power loss
    /// can lose the last commits) and much faster than FULL. Each batch of results touches the index pages of
    /// hundreds of monitors; checkpointing every 16,384 pages (64 MiB) rather than 1,000 copies each page back into
    /// the file once per many batches instead of once per batch, and costs nothing in durability.
    /// </summary>
    private const string ConnectionPragmas =
        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384;";

    private const string InsertResult =
        "INSERT INTO check_results (" + SharedSql.ResultColumns + """
        )
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
        ON CONFLICT (id) DO NOTHING
        """;

    private static readonly RowStatement<LocationStateRow> UpsertLocationState = new(
        "INSERT INTO location_states (" + SharedSql.LocationStateColumns + """
        )
        VALUES (@monitor_id, @location_id, @status, @status_since, @consecutive_failures,
            @failing_since, @last_checked_at, @last_result_id)
        """ + "\n" + SharedSql.LocationStateConflict,
        new("monitor_id", row => row.State.MonitorId),
        new("location_id", row => row.State.LocationId),
        new("status", row => StoredValues.Name(row.State.Status)),
        new("status_since", row => StoredValues.UnixMs(row.State.StatusSince)),
        new("consecutive_failures", row => row.State.ConsecutiveFailures),
        new("failing_since", row => StoredValues.UnixMs(row.State.FailingSince)),
        new("last_checked_at", row => StoredValues.UnixMs(row.State.LastCheckedAt)),
        new("last_result_id", row => row.LastResultId));

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <param name="path">The database file; its directory is created when missing.</param>
    public SqliteDialect(string path)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            ForeignKeys = true,
            Pooling = true,
        }.ToString();
    }

    public string MigrationsFolder => "sqlite";

    /// <remarks>The claiming UPDATE holds the file's write lock: no other writer sees the rows half-claimed.</remarks>
    public string SkipLocked => "";

    /// <remarks>Without statistics (Candor runs no ANALYZE) SQLite prefers the index on the state and sorts.</remarks>
    public string ClaimIndex => "INDEXED BY outbox_claim";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IDisposable> EnterWriterAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        return new WriterTurn(_writer);
    }

    /// <remarks>
    /// Microsoft.Data.Sqlite begins transactions IMMEDIATE, which takes the file's write lock at once: that already
    /// keeps a second process out until this migration commits.
    /// </remarks>
    public Task LockForMigrationAsync(DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public string IsOneOf(string column, string parameter) => $"{column} IN (SELECT value FROM json_each(@{parameter}))";

    public object TextList(IReadOnlyCollection<string> texts) => JsonSerializer.Serialize(texts);

    /// <remarks>Big-endian (RFC 4122) bytes, so that version 7 ids sort by time in the primary key index.</remarks>
    public object IdValue(Guid id) => id.ToByteArray(bigEndian: true);

    public Guid ReadId(DbDataReader reader, int ordinal) => new(reader.GetFieldValue<byte[]>(ordinal), bigEndian: true);

    public Task ExecuteEachAsync<T>(
        DbTransaction transaction, RowStatement<T> statement, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        RunEach(transaction, statement, rows, cancellationToken);
        return Task.CompletedTask;
    }

    /// <remarks>
    /// Bound through SQLite's own API: through Microsoft.Data.Sqlite each of the twelve values of a row is boxed, typed
    /// and checked before it is bound, which cost a third of the time of storing it.
    /// </remarks>
    public Task InsertNewResultsAsync(DbTransaction transaction, IReadOnlyList<CheckResult> results, CancellationToken cancellationToken)
    {
        var database = ((SqliteConnection)transaction.Connection!).Handle!;
        Check(raw.sqlite3_prepare_v2(database, InsertResult, out var statement), database);
        using (statement)
        {
            Span<byte> id = stackalloc byte[16];
            for (var i = 0; i < results.Count; i++)
            {
                if (i % 1024 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var result = results[i];
                result.Id.TryWriteBytes(id, bigEndian: true, out _);
                Check(raw.sqlite3_bind_blob(statement, 1, id), database);
                Check(raw.sqlite3_bind_text(statement, 2, result.MonitorId), database);
                Check(raw.sqlite3_bind_text(statement, 3, result.LocationId), database);
                Check(raw.sqlite3_bind_int64(statement, 4, StoredValues.UnixMs(result.StartedAt)), database);
                Check(raw.sqlite3_bind_double(statement, 5, StoredValues.Ms(result.Duration)), database);
                Check(raw.sqlite3_bind_text(statement, 6, StoredValues.Name(result.Outcome)), database);
                BindText(statement, 7, StoredValues.Name(result.ErrorKind), database);
                BindText(statement, 8, result.Message, database);
                BindDouble(statement, 9, StoredValues.Ms(result.Timings.Dns), database);
                BindDouble(statement, 10, StoredValues.Ms(result.Timings.Connect), database);
                BindDouble(statement, 11, StoredValues.Ms(result.Timings.Tls), database);
                BindDouble(statement, 12, StoredValues.Ms(result.Timings.FirstByte), database);
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE)
                {
                    Check(step, database);
                }

                Check(raw.sqlite3_reset(statement), database);
            }
        }

        return Task.CompletedTask;
    }

    public Task UpsertLocationStatesAsync(DbTransaction transaction, IReadOnlyList<LocationState> states, CancellationToken cancellationToken)
    {
        var rows = states
            .Select(state => new LocationStateRow(state, state.LastResult is { } last ? IdValue(last.Id) : null))
            .ToList();
        RunEach(transaction, UpsertLocationState, rows, cancellationToken);
        return Task.CompletedTask;
    }

    /// <remarks>The fold's transaction, IMMEDIATE as every transaction here, already holds the file's write lock.</remarks>
    public Task BeginFoldAsync(DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <remarks>SQLite has no data-modifying WITH; a temporary table lives on this connection alone.</remarks>
    public string OverStaged(string name, string select, IReadOnlyList<string> statements) =>
        $"CREATE TEMP TABLE {name} AS\n{select};\n" + string.Concat(statements.Select(statement => statement + ";\n")) + $"DROP TABLE temp.{name};";

    private static void BindText(sqlite3_stmt statement, int index, string? value, sqlite3 database) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value), database);

    private static void BindDouble(sqlite3_stmt statement, int index, double? value, sqlite3 database) =>
        Check(value is { } present ? raw.sqlite3_bind_double(statement, index, present) : raw.sqlite3_bind_null(statement, index), database);

    private static void Check(int code, sqlite3 database)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, database);
        }
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections would otherwise keep the file open after the store is gone.
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Runs one prepared statement, rebound per row. Calls into
    /// SQLite are in-process and cheap, so this is its bulk path; they are synchronous underneath in any case.
    /// </summary>
    private static void RunEach<T>(
        DbTransaction transaction, RowStatement<T> statement, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        using var command = (SqliteCommand)transaction.Connection!.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = statement.Sql;
        var parameters = statement.Parameters
            .Select(parameter => command.Parameters.Add(new SqliteParameter { ParameterName = "@" + parameter.Name }))
            .ToArray();
        command.Prepare();

        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = statement.Parameters[i].Value(row) ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }
    }

    private sealed record LocationStateRow(LocationState State, object? LastResultId);

    private sealed class WriterTurn(SemaphoreSlim writer) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                writer.Release();
            }
        }
    }
}
