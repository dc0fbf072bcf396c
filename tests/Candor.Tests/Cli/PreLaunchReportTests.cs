using Candor.Cli;
using Candor.Configuration;
using Candor.Monitoring;
using Spectre.Console;

namespace Candor.Tests.Cli;

/// <summary>The live table a person sees on a terminal, rendered into a string.</summary>
public sealed class PreLaunchReportTests
{
    private static readonly MonitorConfig Api = new() { Id = "api", Component = "web", Type = "http" };
    private static readonly MonitorConfig Nightly = new() { Id = "nightly", Component = "web", Type = "heartbeat" };

    private static MonitorVerdict Down(MonitorConfig monitor, string message) => new(
        monitor,
        new CheckResult(Guid.CreateVersion7(), monitor.Id, "local", DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(42), Outcome.Down, ErrorKind.Assertion, message, PhaseTimings.None),
        null);

    private static async IAsyncEnumerable<(int, MonitorVerdict)> Verdicts(params MonitorVerdict[] verdicts)
    {
        for (var i = verdicts.Length - 1; i >= 0; i--)
        {
            await Task.Yield();
            yield return (i, verdicts[i]);
        }
    }

    [Fact]
    public async Task The_table_shows_each_monitor_in_config_order_with_messages_taken_literally()
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(writer),
        });
        var failed = Down(Api, "len(json $.items[0]) (0) > 0");
        var skipped = new MonitorVerdict(Nightly, null, "a heartbeat waits for its job to ping");

        var shown = await PreLaunchReport.LiveAsync(console, [Api, Nightly], Verdicts(failed, skipped), CancellationToken.None);

        Assert.Equal([failed, skipped], shown);
        var screen = writer.ToString();
        Assert.Contains("len(json $.items[0]) (0) > 0", screen, StringComparison.Ordinal);
        Assert.Contains("42ms", screen, StringComparison.Ordinal);
        Assert.Contains("skipped", screen, StringComparison.Ordinal);
        Assert.True(screen.IndexOf("api", StringComparison.Ordinal) < screen.IndexOf("nightly", StringComparison.Ordinal));
    }

    [Fact]
    public void The_summary_counts_each_verdict_and_the_time_to_a_tenth_of_a_second()
    {
        var verdicts = new[] { Down(Api, "status (500) == 200"), new MonitorVerdict(Nightly, null, "no probe") };

        Assert.Equal("0 passed, 1 failed, 0 degraded, 1 skipped in 2.3s", PreLaunchReport.Summary(verdicts, TimeSpan.FromMilliseconds(2_340)));
    }
}
