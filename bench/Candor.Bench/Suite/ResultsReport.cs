using System.Globalization;
using System.Text;

namespace Candor.Bench.Suite;

/// <summary>The table the suite prints, and the same table with the machine and the commit for bench/RESULTS.md.</summary>
internal static class ResultsReport
{
    /// <summary>Where a full run writes its table, from the checkout's root.</summary>
    public const string CommittedTable = "bench/RESULTS.md";

    public static string Table(IReadOnlyList<BenchRow> rows)
    {
        var table = new StringBuilder();
        table.AppendLine("| id | figure | Candor | baseline | ratio | target | result |");
        table.AppendLine("| --- | --- | ---: | ---: | ---: | --- | --- |");
        foreach (var row in rows)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {row.Id} | {row.Figure} | {row.Candor?.ToString() ?? "—"} | {row.Baseline?.ToString() ?? "—"} | {Ratio(row)} | {row.Target?.Text ?? "—"} | {row.Verdict} |");
        }

        var notes = rows.Where(row => row.Note is not null).ToList();
        if (notes.Count > 0)
        {
            table.AppendLine();
            foreach (var row in notes)
            {
                table.AppendLine(CultureInfo.InvariantCulture, $"- {row.Id}, {row.Figure}: {row.Note}");
            }
        }

        return table.ToString();
    }

    public static string Markdown(BenchReport report, MachineInfo machine) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            # Benchmark results

            Measured {report.StartedAt:yyyy-MM-dd HH:mm} UTC ({report.Scale.Name} run, {report.Elapsed.TotalMinutes:0.0} min) on {machine.Cpu}, {machine.Cores} cores; {machine.Platform}; {machine.Runtime}; commit {machine.Commit}.
            Every peer ran on the same machine, on 127.0.0.1. How each figure is measured is in [README.md](README.md).

            {Table(report.Rows)}
            """);

    private static string Ratio(BenchRow row) =>
        row.Ratio is { } ratio ? ratio.ToString(ratio >= 10 ? "0" : "0.00", CultureInfo.InvariantCulture) + "×" : "—";
}
