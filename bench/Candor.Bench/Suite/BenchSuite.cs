using System.Diagnostics;
using Candor.Bench.Benchmarks;

namespace Candor.Bench.Suite;

internal sealed record BenchReport(BenchScale Scale, DateTimeOffset StartedAt, TimeSpan Elapsed, IReadOnlyList<BenchRow> Rows);

/// <summary>
/// Runs the benchmarks one after the other, each within its budget and the whole within the suite's, so that an
/// unattended run always ends and always prints its table: a benchmark that fails or overruns gives a failed row
/// and the others still run.
/// </summary>
internal static class BenchSuite
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new ChecksBenchmark(StoreKind.Sqlite),
        new ChecksBenchmark(StoreKind.Postgres),
        new StatusPageBenchmark(underChecks: false),
        new StatusPageBenchmark(underChecks: true),
        new DetectionBenchmark(),
        new FanOutBenchmark(),
        new UptimeBenchmark(),
        new IngestBenchmark(),
    ];

    public static async Task<BenchReport> RunAsync(BenchOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var rows = new List<BenchRow>();
        var directory = Directory.CreateTempSubdirectory("candor-bench-");
        File.SetUnixFileMode(directory.FullName, Peers.Permissions.WorldReadableDirectory);
        using var suite = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        suite.CancelAfter(options.Scale.SuiteBudget);
        try
        {
            await using var context = new BenchContext(options, directory.FullName, log);
            foreach (var benchmark in All.Where(b => options.Includes(b.Id) && (b.Store is not { } store || options.B1Stores.Contains(store))))
            {
                rows.AddRange(await RunOneAsync(benchmark, context, suite.Token));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        return new BenchReport(options.Scale, startedAt, clock.Elapsed, rows);
    }

    private static async Task<IReadOnlyList<BenchRow>> RunOneAsync(IBenchmark benchmark, BenchContext context, CancellationToken suite)
    {
        var budget = context.Scale.UnitBudget;
        using var unit = CancellationTokenSource.CreateLinkedTokenSource(suite);
        unit.CancelAfter(budget);
        var clock = Stopwatch.StartNew();
        context.Log($"{benchmark.Name}: started");
        try
        {
            var rows = await benchmark.RunAsync(context, unit.Token);
            context.Log($"{benchmark.Name}: done in {clock.Elapsed.TotalSeconds:0.0} s");
            return rows;
        }
        catch (Exception exception)
        {
            var why = unit.IsCancellationRequested
                ? suite.IsCancellationRequested ? "the suite ran out of time" : $"did not finish within {budget.TotalSeconds:0} s"
                : exception.Message.Split('\n')[0];
            context.Log($"{benchmark.Name}: failed after {clock.Elapsed.TotalSeconds:0.0} s: {exception}");
            return [BenchRow.Failed(benchmark.Id, benchmark.Name, why)];
        }
    }
}
