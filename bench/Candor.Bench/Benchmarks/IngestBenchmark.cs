using System.Diagnostics;
using Candor.Bench.Suite;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.State;
using Candor.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Candor.Bench.Benchmarks;

/// <summary>
/// B6: results stored through <see cref="ICandorStore.SaveBatchAsync"/> in batches of a thousand, as agents will
/// send them, with the location states the product's state tracker hands over for each batch (those that changed in
/// substance), then folded into the rollups, inside the timing; against the same rows put into the same table,
/// freshly migrated, by the benchmark itself in the engine's fastest way: one binary COPY, or one SQLite transaction.
/// The same rows committed a batch at a time, as an agent's batches must be, are measured too, for the note.
/// </summary>
internal sealed class IngestBenchmark : IBenchmark
{
    private const int Monitors = 1_000;
    private const int Batch = 1_000;

    /// <summary>Each way of writing first stores this share of the rows, unmeasured, into a store of its own.</summary>
    private const int WarmUpShare = 6;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private const string Columns =
        "id, monitor_id, location_id, started_at, duration_ms, outcome, error_kind, message, dns_ms, connect_ms, tls_ms, first_byte_ms";

    public string Id => "B6";

    public string Name => "B6";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = Generate(context.Scale.B6Results);
        var rows = new List<BenchRow>();
        foreach (var kind in Enum.GetValues<StoreKind>())
        {
            // Ingest is the steady work of a server that has been up. Measured cold, whichever way runs first pays for
            // compiling the driver code they share (COPY's, on PostgreSQL) for the others: Candor's COPY took 17 %
            // longer when it ran first than when it ran after the baselines.
            var warmUp = results[..(results.Count / WarmUpShare)];
            await ThroughStoreAsync(await context.NewStorageAsync(kind, "b6-warm-candor", cancellationToken), warmUp, cancellationToken);
            await RawAsync(kind, await context.NewStorageAsync(kind, "b6-warm-raw", cancellationToken), warmUp, warmUp.Count, cancellationToken);
            await RawAsync(kind, await context.NewStorageAsync(kind, "b6-warm-raw-batches", cancellationToken), warmUp, Batch, cancellationToken);

            var (candor, fold) = await ThroughStoreAsync(await MeasuredStorageAsync(context, kind, "b6-candor", cancellationToken), results, cancellationToken);
            var raw = await RawAsync(kind, await MeasuredStorageAsync(context, kind, "b6-raw", cancellationToken), results, results.Count, cancellationToken);
            var rawBatches = await RawAsync(kind, await MeasuredStorageAsync(context, kind, "b6-raw-batches", cancellationToken), results, Batch, cancellationToken);
            context.Log($"B6 {kind.Display()}: {candor:N0} results/s through the store (the fold {fold.TotalSeconds:0.00} s of it), {raw:N0}/s raw, {rawBatches:N0}/s raw in batches");
            var way = kind == StoreKind.Sqlite ? "prepared INSERTs" : "binary COPY";
            rows.Add(new BenchRow(Id, $"results stored/s, {kind.Display()}", new Measure(candor, "/s"), new Measure(raw, "/s"),
                Target.AtLeastShareOfBaseline(0.5),
                $"{results.Count:N0} results of {Monitors * SyntheticResults.Locations.Length:N0} monitor-locations in batches of {Batch:N0}, with the states that changed, "
                + $"their rollups folded at the end within the timing (the fold took {fold.TotalSeconds:0.00} s of {results.Count / candor:0.00} s); "
                + $"each way of writing first stored a {WarmUpShare}th of the rows into a store of its own, unmeasured{(kind == StoreKind.Postgres ? ", and began after a CHECKPOINT" : "")}; baseline: {way} of the same rows into the same, empty table in one transaction; "
                + $"the same {way} committed a batch at a time, as each batch an agent sends must be before it is answered: "
                + $"{rawBatches:N0}/s, Candor at {candor / rawBatches:0.00}× of that"));
        }

        return rows;
    }

    /// <summary>
    /// A new, empty store for a measured way of writing. PostgreSQL's server is shared by the whole suite: without a
    /// checkpoint, whichever way of writing runs first
    /// (Candor's) also pays for writing out the pages that the benchmarks before it left dirty. Run right after B5,
    /// which writes 90 days of rollups to the same server, Candor stored 68,610 and 72,084 results/s (0.45× of the
    /// one COPY both times, its fold 0.63-0.67 s); after a checkpoint, 83,756 and 87,385/s (0.50× and 0.54×, its
    /// fold 0.48-0.49 s). A SQLite store is a file of its own, with nothing of another's to write.
    /// </summary>
    private static async Task<string> MeasuredStorageAsync(BenchContext context, StoreKind kind, string name, CancellationToken cancellationToken)
    {
        var storage = await context.NewStorageAsync(kind, name, cancellationToken);
        if (kind == StoreKind.Postgres)
        {
            await using var connection = await BenchContext.OpenAsync(storage, cancellationToken);
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "CHECKPOINT";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }

        return storage;
    }

    /// <summary>Every monitor-location every 30 s, in time order, as far back as it takes to make the count.</summary>
    private static List<CheckResult> Generate(int count)
    {
        var random = new Random(6);
        var pairs = Monitors * SyntheticResults.Locations.Length;
        var rounds = (count + pairs - 1) / pairs;
        var start = DateTimeOffset.UtcNow - (Interval * rounds);
        var results = new List<CheckResult>(count);
        for (var round = 0; results.Count < count; round++)
        {
            for (var pair = 0; pair < pairs && results.Count < count; pair++)
            {
                var at = start + (Interval * round) + TimeSpan.FromMilliseconds(pair * Interval.TotalMilliseconds / pairs);
                results.Add(SyntheticResults.Result(
                    random, SyntheticResults.MonitorId(pair / SyntheticResults.Locations.Length), SyntheticResults.Locations[pair % SyntheticResults.Locations.Length], at));
            }
        }

        return results;
    }

    /// <returns>The results stored per second, and how long the fold at the end took of that time.</returns>
    private static async Task<(double Rate, TimeSpan Fold)> ThroughStoreAsync(string storage, List<CheckResult> results, CancellationToken cancellationToken)
    {
        await using var store = StoreFactory.Create(storage);
        await store.MigrateAsync(cancellationToken);
        var batches = Batches(results);
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await store.SaveBatchAsync(batch, cancellationToken);
        }

        // The store counts the rollups after the fact; counting those of everything written is part of the ingest.
        var saved = clock.Elapsed;
        await store.FoldRollupsAsync(cancellationToken);
        return (results.Count / clock.Elapsed.TotalSeconds, clock.Elapsed - saved);
    }

    /// <summary>
    /// The batches the result pipeline would store: each run through the product's state tracker, which hands over
    /// the location states that changed in substance, not every state that saw a check.
    /// </summary>
    private static List<ResultBatch> Batches(List<CheckResult> results)
    {
        var config = new CandorConfig
        {
            Components = [new ComponentConfig { Id = "web", Name = "Web" }],
            Monitors =
            [
                .. Enumerable.Range(0, Monitors).Select(index => new MonitorConfig
                {
                    Id = SyntheticResults.MonitorId(index),
                    Component = "web",
                    Type = "http",
                    Interval = Interval,
                    Locations = SyntheticResults.Locations,
                }),
            ],
        };
        var tracker = new MonitorStateTracker(config, [], [], results[0].StartedAt);
        return results.Chunk(Batch)
            .Select(chunk => new ResultBatch(chunk, tracker.Apply(chunk, chunk[^1].StartedAt).Locations, []))
            .ToList();
    }

    /// <param name="perTransaction">How many rows each transaction puts in, each committed before the next begins.</param>
    private static async Task<double> RawAsync(
        StoreKind kind, string storage, List<CheckResult> results, int perTransaction, CancellationToken cancellationToken)
    {
        await using (var store = StoreFactory.Create(storage))
        {
            await store.MigrateAsync(cancellationToken);
        }

        await using var connection = await BenchContext.OpenAsync(storage, cancellationToken);
        if (connection is SqliteConnection sqlite)
        {
            await UseCandorPragmasAsync(sqlite, cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        foreach (var rows in results.Chunk(perTransaction))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (kind == StoreKind.Sqlite)
            {
                Insert((SqliteTransaction)transaction, rows);
            }
            else
            {
                await CopyAsync((NpgsqlConnection)connection, rows, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return results.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>WAL, synchronous NORMAL and the checkpoint size, as Candor's own connections have them.</summary>
    private static async Task UseCandorPragmasAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Insert(SqliteTransaction transaction, IReadOnlyList<CheckResult> results)
    {
        using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO check_results ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)";
        var parameters = Enumerable.Range(0, 12).Select(i => insert.Parameters.Add(new SqliteParameter { ParameterName = $"@p{i}" })).ToArray();
        insert.Prepare();
        foreach (var result in results)
        {
            var values = Values(result);
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<CheckResult> results, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY check_results ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var result in results)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(result.Id, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(result.MonitorId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(result.LocationId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(result.StartedAt.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(result.Duration.TotalMilliseconds, NpgsqlDbType.Double, cancellationToken);
            await importer.WriteAsync(OutcomeName(result.Outcome), NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, result.ErrorKind is null ? null : "connect", NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, result.Message, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(importer, result.Timings.Dns?.TotalMilliseconds, NpgsqlDbType.Double, cancellationToken);
            await WriteAsync(importer, result.Timings.Connect?.TotalMilliseconds, NpgsqlDbType.Double, cancellationToken);
            await WriteAsync(importer, result.Timings.Tls?.TotalMilliseconds, NpgsqlDbType.Double, cancellationToken);
            await WriteAsync(importer, result.Timings.FirstByte?.TotalMilliseconds, NpgsqlDbType.Double, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    private static Task WriteAsync(NpgsqlBinaryImporter importer, double? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is { } present ? importer.WriteAsync(present, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    /// <summary>The row as Candor's SQLite schema holds it: ids as big-endian bytes, times in Unix ms.</summary>
    private static object?[] Values(CheckResult result) =>
    [
        result.Id.ToByteArray(bigEndian: true),
        result.MonitorId,
        result.LocationId,
        result.StartedAt.ToUnixTimeMilliseconds(),
        result.Duration.TotalMilliseconds,
        OutcomeName(result.Outcome),
        result.ErrorKind is null ? null : "connect",
        result.Message,
        result.Timings.Dns?.TotalMilliseconds,
        result.Timings.Connect?.TotalMilliseconds,
        result.Timings.Tls?.TotalMilliseconds,
        result.Timings.FirstByte?.TotalMilliseconds,
    ];

    private static string OutcomeName(Outcome outcome) => outcome switch
    {
        Outcome.Up => "up",
        Outcome.Degraded => "degraded",
        _ => "down",
    };
}
