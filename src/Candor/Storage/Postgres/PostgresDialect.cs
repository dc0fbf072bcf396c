using System.Data.Common;
using Candor.Monitoring;
using Npgsql;
using NpgsqlTypes;

namespace Candor.Storage.Postgres;

/// <summary>
/// The shared store for several replicas. A batch of results costs the same few round trips whatever its size, and
/// other rows go a thousand to a round trip: the server is usually across a network, where round trips, more than
/// rows, set the cost of a write.
/// </summary>
internal sealed class PostgresDialect(string connectionString) : ISqlDialect
{
    /// <summary>Any fixed key will do, as long as every Candor process migrating this database uses the same one.</summary>
    private const long MigrationLockKey = 0x43616E646F72;

    private const string BulkSavepoint = "bulk_results";

    private const string CopyResults =
        "COPY check_results (" + SharedSql.ResultColumns + ") FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// unnest turns the column arrays back into rows, so a whole batch travels as one statement with twelve
    /// parameters.
    /// </summary>
    private const string InsertResults =
        "INSERT INTO check_results (" + SharedSql.ResultColumns + """
        )
        SELECT * FROM unnest(@id, @monitor_id, @location_id, @started_at, @duration_ms, @outcome, @error_kind,
            @message, @dns_ms, @connect_ms, @tls_ms, @first_byte_ms)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string UpsertLocationStates =
        "INSERT INTO location_states (" + SharedSql.LocationStateColumns + """
        )
        SELECT * FROM unnest(@monitor_id, @location_id, @status, @status_since, @consecutive_failures,
            @failing_since, @last_checked_at, @last_result_id)
        """ + "\n" + SharedSql.LocationStateConflict;

    /// <summary>
    /// The most rows a batch of <see cref="ExecuteEachAsync"/> carries: enough that a round trip serves many, few
    /// enough that a server starting with 100,000 monitors does not build one batch of them all. In two alternating
    /// pairs of B1 on PostgreSQL, the server then said it served 9.9-10.6 s after launch instead of 11.1-11.4 s, and
    /// its peak resident set was 757-893 MiB instead of 880-904 MiB.
    /// </summary>
    private const int RowsPerBatch = 1_000;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public string MigrationsFolder => "postgres";

    public string SkipLocked => "FOR UPDATE SKIP LOCKED";

    public string ClaimIndex => "";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <remarks>PostgreSQL takes row locks itself; writers of one process need no queue.</remarks>
    public Task<IDisposable> EnterWriterAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IDisposable>(NoTurn.Instance);

    /// <remarks>Released at commit, so a crashed migrator never leaves the lock behind.</remarks>
    public async Task LockForMigrationAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(@key)", (NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public string IsOneOf(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public object TextList(IReadOnlyCollection<string> texts) => texts.ToArray();

    public object IdValue(Guid id) => id;

    public Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    /// <remarks>
    /// SHARE ROW EXCLUSIVE waits for every transaction that has written results (they hold ROW EXCLUSIVE) to end,
    /// keeps new writers waiting until the fold commits, and admits one fold at a time. Without it, a writer that
    /// took sequence numbers before another but commits after it would have its results passed over for good.
    /// Writers wait only for the fold of what was stored since the last one, which the background fold keeps small.
    /// The fold groups its results in memory; the default work_mem (4 MB) would spill a large fold's groups to disk.
    /// </remarks>
    public async Task BeginFoldAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "LOCK TABLE check_results IN SHARE ROW EXCLUSIVE MODE; SET LOCAL work_mem = '64MB'",
            (NpgsqlConnection)transaction.Connection!,
            (NpgsqlTransaction)transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <remarks>
    /// One statement of data-modifying WITH queries: the staged rows live in memory and leave no trace in the
    /// catalog, as a temporary table created on every fold would.
    /// </remarks>
    public string OverStaged(string name, string select, IReadOnlyList<string> statements) =>
        $"WITH {name} AS MATERIALIZED (\n{select}\n)"
        + string.Concat(statements.SkipLast(1).Select((statement, i) => $",\nstep_{i} AS (\n{statement}\n)"))
        + "\n" + statements[^1];

    /// <remarks>
    /// A round trip per <see cref="RowsPerBatch"/> rows: every command of a batch, with its parameters, is built in
    /// memory before the batch is sent. The batch is prepared: its commands share one statement, which the server
    /// then parses and plans once per connection instead of once per row. Unprepared, a server starting with
    /// 100,000 monitors kept a core of PostgreSQL busy for about 5 s on their upserts, and in three alternating pairs
    /// of B1 it said it served 8.6-9.6 s after launch against 11.9-12.4 s (after a restart, 13.5-14.4 s against
    /// 17.1-18.0 s).
    /// </remarks>
    public async Task ExecuteEachAsync<T>(
        DbTransaction transaction, RowStatement<T> statement, IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(RowsPerBatch))
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction);
            foreach (var row in chunk)
            {
                var command = new NpgsqlBatchCommand(statement.Sql);
                foreach (var parameter in statement.Parameters)
                {
                    command.Parameters.Add(new NpgsqlParameter(parameter.Name, parameter.Value(row) ?? DBNull.Value));
                }

                batch.BatchCommands.Add(command);
            }

            await batch.PrepareAsync(cancellationToken);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <remarks>
    /// Binary COPY is PostgreSQL's fastest way in, but it cannot skip duplicates. Duplicates are rare (an agent
    /// retrying a batch that was in fact stored), so COPY goes first, behind a savepoint; if a result is already
    /// stored, or another writer is storing it, the primary key stops the COPY, and the batch goes again from the
    /// savepoint through INSERT ... ON CONFLICT DO NOTHING, slower but able to skip.
    /// </remarks>
    public async Task InsertNewResultsAsync(
        DbTransaction transaction, IReadOnlyList<CheckResult> results, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)transaction.Connection!;
        var npgsqlTransaction = (NpgsqlTransaction)transaction;
        await npgsqlTransaction.SaveAsync(BulkSavepoint, cancellationToken);
        try
        {
            await CopyAsync(connection, results, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await npgsqlTransaction.RollbackAsync(BulkSavepoint, cancellationToken);
            await InsertSkippingStoredAsync(connection, npgsqlTransaction, results, cancellationToken);
        }
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, IReadOnlyList<CheckResult> results, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopyResults, cancellationToken);
        foreach (var result in results)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(result.Id, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(result.MonitorId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(result.LocationId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(StoredValues.UnixMs(result.StartedAt), NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(StoredValues.Ms(result.Duration), NpgsqlDbType.Double, cancellationToken);
            await importer.WriteAsync(StoredValues.Name(result.Outcome), NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, StoredValues.Name(result.ErrorKind), cancellationToken);
            await WriteAsync(importer, result.Message, cancellationToken);
            await WriteAsync(importer, StoredValues.Ms(result.Timings.Dns), cancellationToken);
            await WriteAsync(importer, StoredValues.Ms(result.Timings.Connect), cancellationToken);
            await WriteAsync(importer, StoredValues.Ms(result.Timings.Tls), cancellationToken);
            await WriteAsync(importer, StoredValues.Ms(result.Timings.FirstByte), cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null
            ? importer.WriteNullAsync(cancellationToken)
            : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, double? value, CancellationToken cancellationToken) =>
        value is { } present
            ? importer.WriteAsync(present, NpgsqlDbType.Double, cancellationToken)
            : importer.WriteNullAsync(cancellationToken);

    private static async Task InsertSkippingStoredAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CheckResult> results, CancellationToken cancellationToken)
    {
        var count = results.Count;
        var ids = new Guid[count];
        var monitorIds = new string[count];
        var locationIds = new string[count];
        var startedAt = new long[count];
        var durations = new double[count];
        var outcomes = new string[count];
        var errorKinds = new string?[count];
        var messages = new string?[count];
        var dns = new double?[count];
        var connect = new double?[count];
        var tls = new double?[count];
        var firstByte = new double?[count];
        for (var i = 0; i < count; i++)
        {
            var result = results[i];
            ids[i] = result.Id;
            monitorIds[i] = result.MonitorId;
            locationIds[i] = result.LocationId;
            startedAt[i] = StoredValues.UnixMs(result.StartedAt);
            durations[i] = StoredValues.Ms(result.Duration);
            outcomes[i] = StoredValues.Name(result.Outcome);
            errorKinds[i] = StoredValues.Name(result.ErrorKind);
            messages[i] = result.Message;
            dns[i] = StoredValues.Ms(result.Timings.Dns);
            connect[i] = StoredValues.Ms(result.Timings.Connect);
            tls[i] = StoredValues.Ms(result.Timings.Tls);
            firstByte[i] = StoredValues.Ms(result.Timings.FirstByte);
        }

        await using var command = new NpgsqlCommand(InsertResults, connection, transaction);
        command.Parameters.AddWithValue("id", ids);
        command.Parameters.AddWithValue("monitor_id", monitorIds);
        command.Parameters.AddWithValue("location_id", locationIds);
        command.Parameters.AddWithValue("started_at", startedAt);
        command.Parameters.AddWithValue("duration_ms", durations);
        command.Parameters.AddWithValue("outcome", outcomes);
        command.Parameters.AddWithValue("error_kind", errorKinds);
        command.Parameters.AddWithValue("message", messages);
        command.Parameters.AddWithValue("dns_ms", dns);
        command.Parameters.AddWithValue("connect_ms", connect);
        command.Parameters.AddWithValue("tls_ms", tls);
        command.Parameters.AddWithValue("first_byte_ms", firstByte);

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <remarks>The whole list is one statement: one round trip.</remarks>
    public async Task UpsertLocationStatesAsync(
        DbTransaction transaction, IReadOnlyList<LocationState> states, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            UpsertLocationStates, (NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction)
        {
            Parameters =
            {
                new("monitor_id", states.Select(state => state.MonitorId).ToArray()),
                new("location_id", states.Select(state => state.LocationId).ToArray()),
                new("status", states.Select(state => StoredValues.Name(state.Status)).ToArray()),
                new("status_since", states.Select(state => StoredValues.UnixMs(state.StatusSince)).ToArray()),
                new("consecutive_failures", states.Select(state => state.ConsecutiveFailures).ToArray()),
                new("failing_since", states.Select(state => StoredValues.UnixMs(state.FailingSince)).ToArray()),
                new("last_checked_at", states.Select(state => StoredValues.UnixMs(state.LastCheckedAt)).ToArray()),
                new("last_result_id", states.Select(state => state.LastResult?.Id).ToArray()),
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private sealed class NoTurn : IDisposable
    {
        public static readonly NoTurn Instance = new();

        public void Dispose()
        {
        }
    }
}
