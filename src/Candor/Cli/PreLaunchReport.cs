using System.Globalization;
using Candor.Configuration;
using Spectre.Console;

namespace Candor.Cli;

/// <summary>
/// Shows the verdicts of a pre-launch check as they come: a live table on a terminal, and on anything else (a CI
/// log, a pipe, a file) plain lines without colours or redrawing, one per monitor as it finishes.
/// </summary>
public static class PreLaunchReport
{
    /// <returns>Every verdict, in the order of <paramref name="monitors"/>.</returns>
    public static async Task<IReadOnlyList<MonitorVerdict>> LiveAsync(
        IAnsiConsole console,
        IReadOnlyList<MonitorConfig> monitors,
        IAsyncEnumerable<(int Index, MonitorVerdict Verdict)> verdicts,
        CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("Monitor", "Type", "Outcome", "Time", "Detail");
        foreach (var monitor in monitors)
        {
            table.AddRow(new Text(monitor.Id), new Text(monitor.Type), new Markup("[grey]running[/]"), Text.Empty, Text.Empty);
        }

        var shown = new MonitorVerdict[monitors.Count];
        await console.Live(table).StartAsync(async context =>
        {
            context.Refresh();
            await foreach (var (index, verdict) in verdicts.WithCancellation(cancellationToken))
            {
                shown[index] = verdict;
                table.UpdateCell(index, 2, new Markup(Colour(verdict.Verdict, Label(verdict))));

                // Text, not markup: a condition such as `json $.items[0]` has brackets of its own.
                table.UpdateCell(index, 3, new Text(Time(verdict)));
                table.UpdateCell(index, 4, new Text(verdict.Detail));
                context.Refresh();
            }
        });
        return shown;
    }

    /// <returns>Every verdict, in the order of <paramref name="monitors"/>.</returns>
    public static async Task<IReadOnlyList<MonitorVerdict>> PlainAsync(
        TextWriter output,
        IReadOnlyList<MonitorConfig> monitors,
        IAsyncEnumerable<(int Index, MonitorVerdict Verdict)> verdicts,
        CancellationToken cancellationToken)
    {
        var idWidth = monitors.Max(m => m.Id.Length);
        var typeWidth = monitors.Max(m => m.Type.Length);
        var shown = new MonitorVerdict[monitors.Count];
        await foreach (var (index, verdict) in verdicts.WithCancellation(cancellationToken))
        {
            shown[index] = verdict;
            var line = $"{verdict.Monitor.Id.PadRight(idWidth)}  {verdict.Monitor.Type.PadRight(typeWidth)}  " +
                       $"{Label(verdict),-8}  {Time(verdict),6}  {verdict.Detail}";
            await output.WriteLineAsync(line.TrimEnd().AsMemory(), cancellationToken);
        }

        return shown;
    }

    /// <summary>"12 passed, 1 failed, 0 degraded in 2.3s", with the skipped counted when there are any.</summary>
    public static string Summary(IReadOnlyList<MonitorVerdict> verdicts, TimeSpan elapsed)
    {
        int Count(Verdict verdict) => verdicts.Count(v => v.Verdict == verdict);
        var skipped = Count(Verdict.Skipped) > 0 ? $", {Count(Verdict.Skipped)} skipped" : "";
        return $"{Count(Verdict.Passed)} passed, {Count(Verdict.Failed)} failed, {Count(Verdict.Degraded)} degraded{skipped} " +
               $"in {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s";
    }

    public static string Colour(Verdict verdict, string text) => verdict switch
    {
        Verdict.Passed => $"[green]{Markup.Escape(text)}[/]",
        Verdict.Degraded => $"[yellow]{Markup.Escape(text)}[/]",
        Verdict.Failed => $"[red]{Markup.Escape(text)}[/]",
        _ => $"[grey]{Markup.Escape(text)}[/]",
    };

    /// <summary>The check's outcome as the API spells it (up, degraded, down), or "skipped".</summary>
    private static string Label(MonitorVerdict verdict) =>
        verdict.Result?.Outcome.ToString().ToLowerInvariant() ?? "skipped";

    private static string Time(MonitorVerdict verdict) =>
        verdict.Result is { } result ? Duration.Format(result.Duration) : "-";
}
