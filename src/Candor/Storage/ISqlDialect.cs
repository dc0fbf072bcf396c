using System.Data.Common;
using Candor.Monitoring;

namespace Candor.Storage;

/// <summary>
/// What truly differs between the SQL engines Candor runs on. Everything else, and all the SQL that can be, lives
/// once in <see cref="SqlStore"/>.
/// </summary>
internal interface ISqlDialect : IAsyncDisposable
{
    /// <summary>The folder under <c>Storage/Migrations</c> holding this engine's schema scripts.</summary>
    string MigrationsFolder { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Held around every write transaction; an engine that serialises writes itself hands out a no-op.</summary>
    Task<IDisposable> EnterWriterAsync(CancellationToken cancellationToken);

    /// <summary>Makes concurrent migrators (several replicas starting together) wait for each other.</summary>
    Task LockForMigrationAsync(DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Appended to the SELECT that picks outbox rows to claim, so that replicas claiming at once skip each other's
    /// rows instead of waiting on them; empty where one process is the only writer.
    /// </summary>
    string SkipLocked { get; }

    /// <summary>
    /// Follows the table name in the SELECT that picks outbox rows to claim, where an engine would otherwise sort
    /// every due row rather than read the claim index in its order; empty where the planner finds it alone.
    /// </summary>
    string ClaimIndex { get; }

    /// <summary>
    /// The condition that <paramref name="column"/> is one of the texts in the parameter <paramref name="parameter"/>,
    /// whose value is <see cref="TextList"/>'s: one parameter for a list of any length. SQLite looks up each named
    /// parameter by searching the statement's list of them, so an IN of one parameter per id cost a search for each
    /// of hundreds, for every id.
    /// </summary>
    string IsOneOf(string column, string parameter);

    /// <summary>The value of the parameter that <see cref="IsOneOf"/> reads.</summary>
    object TextList(IReadOnlyCollection<string> texts);

    /// <summary>A result id as this engine stores it.</summary>
    object IdValue(Guid id);

    Guid ReadId(DbDataReader reader, int ordinal);

    /// <summary>Runs the statement once per row, in order.</summary>
    Task ExecuteEachAsync<T>(
        DbTransaction transaction, RowStatement<T> statement, IReadOnlyList<T> rows, CancellationToken cancellationToken);

    /// <summary>Inserts the results whose ids are not stored yet.</summary>
    Task InsertNewResultsAsync(DbTransaction transaction, IReadOnlyList<CheckResult> results, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces each location's state; the keys are distinct.</summary>
    Task UpsertLocationStatesAsync(DbTransaction transaction, IReadOnlyList<LocationState> states, CancellationToken cancellationToken);

    /// <summary>
    /// Run first in the fold's transaction, before it reads how far the stored results go: from then until it
    /// commits, no result below that point can still be on its way, and no other fold runs.
    /// </summary>
    Task BeginFoldAsync(DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// One command that computes <paramref name="select"/> once, as a table called <paramref name="name"/> for the
    /// command's life, and runs <paramref name="statements"/>, which read it. Each must stand alone: none may depend
    /// on another's writes.
    /// </summary>
    string OverStaged(string name, string select, IReadOnlyList<string> statements);
}

/// <summary>A parameterised statement that a dialect runs once per row, as cheaply as its engine allows.</summary>
internal sealed class RowStatement<T>(string sql, params RowParameter<T>[] parameters)
{
    public string Sql { get; } = sql;

    public IReadOnlyList<RowParameter<T>> Parameters { get; } = parameters;
}

internal sealed record RowParameter<T>(string Name, Func<T, object?> Value);
