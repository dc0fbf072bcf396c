namespace Candor.Bench.Suite;

internal sealed record BenchOptions
{
    public BenchScale Scale { get; init; } = BenchScale.Full;

    /// <summary>The benchmark ids to run (B1 ... B6); empty for all.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    /// <summary>
    /// The checks per second B1 asks of Candor, as a share of the bare loop's rate: a little above the 60 % target, so
    /// that keeping up with it meets the target, and the lateness and memory are measured at that load.
    /// </summary>
    public double B1Load { get; init; } = 0.65;

    /// <summary>
    /// The bare loop's rate to take instead of measuring it: on a machine whose speed moves from one minute to the next,
    /// two builds compared at the same load are compared at all. Null to measure it, as a full run does.
    /// </summary>
    public double? B1Baseline { get; init; }

    /// <summary>The stores B1 runs on: both unless one is asked for, to measure a change on one engine in half the time.</summary>
    public IReadOnlySet<StoreKind> B1Stores { get; init; } = Enum.GetValues<StoreKind>().ToHashSet();

    /// <summary>
    /// The candor.dll that the benchmarks run; null for the build output beside the suite's own. bench/run.sh names
    /// the published one, as it is installed on a server.
    /// </summary>
    public string? CandorDll { get; init; }

    /// <summary>Where the results table is written; null for nowhere.</summary>
    public string? ResultsPath { get; init; }

    public bool Includes(string id) => Only.Count == 0 || Only.Contains(id);
}
