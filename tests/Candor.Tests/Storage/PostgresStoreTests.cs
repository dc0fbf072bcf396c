using Candor.Tests.Fixtures;
using Npgsql;

namespace Candor.Tests.Storage;

[Collection("postgres")]
public sealed class PostgresStoreTests(PostgresStoreTests.ClassDatabase database)
    : StoreContract, IClassFixture<PostgresStoreTests.ClassDatabase>
{
    protected override Task<string> CreateStorageAsync(CancellationToken cancellationToken) =>
        database.CreateSchemaAsync(cancellationToken);

    protected override string MigrationsFolder => "postgres";

    protected override async Task ExecuteAsync(string storage, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(storage + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task<long> QueryScalarAsync(string storage, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(storage + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [Fact]
    public async Task A_postgres_url_opens_the_database_it_names()
    {
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var store = Open($"postgresql://{settings.Username}@{settings.Host}:{settings.Port}/{settings.Database}?sslmode=disable");

        await store.MigrateAsync(Ct);
        await store.SaveBatchAsync(Batch(Result("web", "local", T0)), Ct);

        // A URL has no search path, so the store works in the database's public schema.
        Assert.Equal(1, await QueryScalarAsync(database.ConnectionString, "SELECT COUNT(*) FROM public.check_results", Ct));
    }

    [Fact]
    public async Task A_result_another_writer_stores_during_the_batch_is_skipped_and_counted_once()
    {
        var contested = Result("web", "local", T0);
        var other = Result("web", "local", T0.AddSeconds(10));
        await using var rival = new NpgsqlConnection(Storage + ";Pooling=false");
        await rival.OpenAsync(Ct);
        await using var rivalTransaction = await rival.BeginTransactionAsync(Ct);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO check_results (id, monitor_id, location_id, started_at, duration_ms, outcome, connect_ms)
            VALUES (@id, 'web', 'local', @started_at, 100, 'up', 50)
            """,
            rival,
            rivalTransaction))
        {
            insert.Parameters.AddWithValue("id", contested.Id);
            insert.Parameters.AddWithValue("started_at", T0.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var saving = Store.SaveBatchAsync(Batch(contested, other), Ct);
        await WaitUntilBlockedOnALockAsync(rival, Ct);
        await rivalTransaction.CommitAsync(Ct);
        await saving;

        Assert.Equal([other, contested], await Store.GetResultsAsync("web", T0, T0.AddHours(1), 100, Ct));
        Assert.Equal(2, Assert.Single(await MinutesAsync(Store, "web", T0, T0.AddHours(1), Ct)).Count);
    }

    [Fact]
    public async Task A_fold_waits_for_a_writer_that_took_earlier_sequence_numbers_and_commits_later()
    {
        await using var slow = new NpgsqlConnection(Storage + ";Pooling=false");
        await slow.OpenAsync(Ct);
        await using var slowTransaction = await slow.BeginTransactionAsync(Ct);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO check_results (id, monitor_id, location_id, started_at, duration_ms, outcome)
            VALUES (@id, 'web', 'local', @started_at, 100, 'up')
            """,
            slow,
            slowTransaction))
        {
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7(T0));
            insert.Parameters.AddWithValue("started_at", T0.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await Store.SaveBatchAsync(Batch(Result("web", "local", T0.AddSeconds(10))), Ct);
        var folding = Store.FoldRollupsAsync(Ct);
        await WaitUntilBlockedOnALockAsync(slow, Ct);
        await slowTransaction.CommitAsync(Ct);
        await folding;

        Assert.Equal(2, Assert.Single(await MinutesAsync(Store, "web", T0, T0.AddHours(1), Ct)).Count);
    }

    private static async Task WaitUntilBlockedOnALockAsync(NpgsqlConnection observer, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                observer);
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// One database for the class; each test gets a schema of its own in it (through the search path), so tests
    /// stay apart without paying for a database each.
    /// </summary>
    public sealed class ClassDatabase(PostgresServer server) : IAsyncLifetime
    {
        private int _schemas;

        public string ConnectionString { get; private set; } = "";

        public async Task InitializeAsync() => ConnectionString = await server.CreateDatabaseAsync();

        public Task DisposeAsync() => Task.CompletedTask;

        public async Task<string> CreateSchemaAsync(CancellationToken cancellationToken)
        {
            var schema = $"test_{Interlocked.Increment(ref _schemas)}";
            await using (var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false"))
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
        }
    }
}
