using Microsoft.Data.Sqlite;

namespace Candor.Tests.Storage;

public sealed class SqliteStoreTests : StoreContract
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("candor-sqlite-");
    private int _files;

    protected override Task<string> CreateStorageAsync(CancellationToken cancellationToken) =>
        Task.FromResult($"sqlite:{Path.Combine(_directory.FullName, $"candor-{++_files}.db")}");

    protected override string MigrationsFolder => "sqlite";

    protected override async Task<long> QueryScalarAsync(string storage, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(storage, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    protected override async Task ExecuteAsync(string storage, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(storage, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<SqliteConnection> OpenAsync(string storage, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = storage["sqlite:".Length..], Pooling = false };
        var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    protected override void Cleanup() => _directory.Delete(recursive: true);
}
