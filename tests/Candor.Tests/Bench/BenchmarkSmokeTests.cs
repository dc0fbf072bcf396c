using Candor.Bench.Suite;

namespace Candor.Tests.Bench;

/// <summary>
/// The benchmarks are not tests and CI does not run them, but their smoke mode is one: every benchmark runs at a
/// tiny scale against its real peers, so none of them can rot between two full runs. It measures nothing worth
/// reading; it only proves that every figure still comes out.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task Every_benchmark_runs_at_smoke_scale_and_gives_every_figure()
    {
        var log = new List<string>();
        using var timeout = new CancellationTokenSource(BenchScale.Smoke.SuiteBudget);

        var report = await BenchSuite.RunAsync(
            new BenchOptions { Scale = BenchScale.Smoke },
            line =>
            {
                lock (log)
                {
                    log.Add(line);
                }
            },
            timeout.Token);

        Assert.Equal(["B1", "B2", "B3", "B4", "B5", "B6"], report.Rows.Select(row => row.Id).Distinct());
        // An infinite lateness is a figure: B1 counts a slot that got no check as infinitely late, which a loaded
        // machine can produce even at this scale. Only a missing or undefined figure means a benchmark did not run.
        Assert.All(report.Rows, row => Assert.True(
            row.Candor is { } figure && !double.IsNaN(figure.Value),
            $"{row.Id} {row.Figure} has no figure ({row.Note}):\n{string.Join('\n', log)}"));
        Assert.All(report.Rows.Where(row => row.Target?.Text.Contains("baseline", StringComparison.Ordinal) == true), row => Assert.True(
            row.Baseline is { Value: > 0 } baseline && double.IsFinite(baseline.Value), $"{row.Id} {row.Figure} has no baseline"));
    }
}
