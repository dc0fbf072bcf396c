using System.Data.Common;
using System.Text;
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

    private static readonly RowStatement<ResultRow> InsertResult = new(
        "INSERT INTO check_results (" + SharedSql.ResultColumns + """
        )
        VALUES (@id, @monitor_id, @location_id, @started_at, @duration_ms, @outcome, @error_kind, @message,
            @dns_ms, @connect_ms, @tls_ms, @first_byte_ms)
        ON CONFLICT (id) DO NOTHING
        """,
        new("id", row => row.Id),
        new("monitor_id", row => row.Result.MonitorId),
        new("location_id", row => row.Result.LocationId),
        new("started_at", row => StoredValues.UnixMs(row.Result.StartedAt)),
        new("duration_ms", row => StoredValues.Ms(row.Result.Duration)),
        new("outcome", row => StoredValues.Name(row.Result.Outcome)),
        new("error_kind", row => StoredValues.Name(row.Result.ErrorKind)),
        new("message", row => row.Result.Message),
        new("dns_ms", row => StoredValues.Ms(row.Result.Timings.Dns)),
        new("connect_ms", row => StoredValues.Ms(row.Result.Timings.Connect)),
        new("tls_ms", row => StoredValues.Ms(row.Result.Timings.Tls)),
        new("first_byte_ms", row => StoredValues.Ms(row.Result.Timings.FirstByte)));

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

    /// <remarks>Big-endian (RFC 4122) bytes, so that version 7 ids sort by time in the primary key index.</remarks>
    public object IdValue(Guid id) => id.ToByteArray(bigEndian: true);

    public Guid ReadId(DbDataReader reader, int ordinal) => new(reader.GetFieldValue<byte[]>(ordinal), bigEndian: true);

    public Task ExecuteEachAsync<T>(
        DbTransaction transaction, RowStatement<T> statement, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        RunEach(transaction, statement, rows, cancellationToken);
        return Task.CompletedTask;
    }

    public Task InsertNewResultsAsync(DbTransaction transaction, IReadOnlyList<CheckResult> results, CancellationToken cancellationToken)
    {
        RunEach(transaction, InsertResult, results.Select(result => new ResultRow(result, IdValue(result.Id))).ToList(), cancellationToken);
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

    /// <remarks>
    /// Microsoft.Data.Sqlite checks each column's type before it reads it and makes a new string of every text it
    /// reads; over the ninety thousand rows of a thousand monitors' bars that is most of the time. Read through
    /// SQLite's own API instead, each value is one call, and a monitor's id, the same on every day, is made once.
    /// </remarks>
    public Task<IReadOnlyList<DailyUptime>> ReadDailyUptimeAsync(
        DbConnection connection, long from, long to, CancellationToken cancellationToken)
    {
        var database = ((SqliteConnection)connection).Handle!;
        Check(raw.sqlite3_prepare_v2(database, DailyUptimeQuery.Sql, out var statement), database);
        using (statement)
        {
            Check(raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "@from"), from), database);
            Check(raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "@to"), to), database);
            var days = new List<DailyUptime>();
            var dates = new DayDates();
            var monitorIds = new MonitorIds();
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                if (days.Count % 4096 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                days.Add(new DailyUptime(
                    monitorIds.Of(raw.sqlite3_column_blob(statement, 1)),
                    dates.Of(raw.sqlite3_column_int64(statement, 0)),
                    raw.sqlite3_column_int64(statement, 2),
                    raw.sqlite3_column_int64(statement, 3),
                    raw.sqlite3_column_int64(statement, 4)));
            }

            if (step != raw.SQLITE_DONE)
            {
                Check(step, database);
            }

            return Task.FromResult<IReadOnlyList<DailyUptime>>(days);
        }
    }

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

    private sealed record ResultRow(CheckResult Result, object Id);

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

    /// <summary>
    /// The strings of the monitor ids read so far, found by their characters: the same few thousand ids come back on
    /// every day of the range, and each is made into a string once.
    /// </summary>
    private sealed class MonitorIds
    {
        private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _byChars;
        private char[] _chars = new char[64];

        public MonitorIds()
        {
            _byChars = _known.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public string Of(ReadOnlySpan<byte> utf8)
        {
            if (_chars.Length < utf8.Length)
            {
                _chars = new char[utf8.Length];
            }

            var chars = _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
            if (_byChars.TryGetValue(chars, out var known))
            {
                return known;
            }

            var id = new string(chars);
            _known[id] = id;
            return id;
        }
    }
}
