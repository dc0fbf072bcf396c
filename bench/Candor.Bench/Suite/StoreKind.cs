namespace Candor.Bench.Suite;

/// <summary>The two engines Candor stores on; benchmarks of the store run on both.</summary>
internal enum StoreKind
{
    Sqlite,
    Postgres,
}

internal static class StoreKinds
{
    public static string Display(this StoreKind kind) => kind == StoreKind.Sqlite ? "SQLite" : "PostgreSQL";
}
