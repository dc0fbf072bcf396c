namespace Candor.Bench.Suite;

/// <summary>One benchmark of the suite, run on its own within <see cref="BenchScale.UnitBudget"/>.</summary>
internal interface IBenchmark
{
    /// <summary>The id: B1 ... B6.</summary>
    string Id { get; }

    /// <summary>The id with what tells it apart from others of the same id, such as the store.</summary>
    string Name { get; }

    /// <summary>The store it runs on, for a benchmark run once per store; null for one that picks its own.</summary>
    StoreKind? Store => null;

    Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken);
}
