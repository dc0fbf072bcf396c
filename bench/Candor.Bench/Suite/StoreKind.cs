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

    /// <summary>The store named on the command line, as it is displayed, in any case; null for another name.</summary>
    public static StoreKind? Parse(string name) =>
        Enum.GetValues<StoreKind>().Select(kind => (StoreKind?)kind).FirstOrDefault(kind => string.Equals(kind!.Value.Display(), name, StringComparison.OrdinalIgnoreCase));
}
