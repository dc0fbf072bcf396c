using Candor.Storage.Postgres;
using Candor.Storage.Sqlite;
using Npgsql;

namespace Candor.Storage;

public static class StoreFactory
{
    private const string AcceptedForms =
        "Use sqlite:PATH (e.g. sqlite:data/candor.db), a PostgreSQL URL (postgres://user:password@host:5432/database?sslmode=disable), "
        + "or an Npgsql connection string (Host=...;Username=...;Password=...;Database=...).";

    /// <summary>
    /// Opens the store that a `storage:` value names: <c>sqlite:PATH</c>, or a PostgreSQL URL
    /// (<c>postgres://user:pass@host:port/db</c>) or Npgsql connection string.
    /// </summary>
    /// <remarks>Nothing is opened yet: the first call to the store connects, and <c>MigrateAsync</c> should come first.</remarks>
    public static ICandorStore Create(string storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var value = storage.Trim();
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["sqlite:".Length..];
            if (path.Length == 0)
            {
                throw new ArgumentException("sqlite: needs a file path. " + AcceptedForms, nameof(storage));
            }

            return new SqlStore(new SqliteDialect(path), TimeProvider.System);
        }

        if (PostgresUrl.IsUrl(value))
        {
            return new SqlStore(new PostgresDialect(PostgresUrl.ToConnectionString(value)), TimeProvider.System);
        }

        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            // Parsing here turns a misspelt keyword into an error at startup rather than at the first query.
            var connectionString = new NpgsqlConnectionStringBuilder(value).ConnectionString;
            return new SqlStore(new PostgresDialect(connectionString), TimeProvider.System);
        }

        throw new ArgumentException("The storage setting is not recognised. " + AcceptedForms, nameof(storage));
    }
}
