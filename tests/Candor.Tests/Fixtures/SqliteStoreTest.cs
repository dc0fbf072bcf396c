using Candor.Monitoring;
using Candor.Storage;
using Microsoft.Data.Sqlite;

namespace Candor.Tests.Fixtures;

/// <summary>A test with a migrated SQLite store of its own, in a folder of its own.</summary>
public abstract class SqliteStoreTest : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected ICandorStore Store { get; private set; } = null!;

    private string DatabaseFile => $"{_dir.Path}/candor.db";

    public async Task InitializeAsync()
    {
        Store = StoreFactory.Create($"sqlite:{DatabaseFile}");
        await Store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dir.Dispose();
        }
    }

    protected Task SaveAsync(params IReadOnlyList<CheckResult> results) =>
        Store.SaveBatchAsync(new ResultBatch(results, [], []), CancellationToken.None);

    /// <summary>Runs SQL on the database behind the store's back, as a test that removes what the store keeps does; returns the rows it changed.</summary>
    protected async Task<int> ExecuteBehindTheStoreAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }
}
