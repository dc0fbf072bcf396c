using System.CommandLine;
using Candor.Configuration;
using Spectre.Console;

namespace Candor.Cli;

/// <summary>
/// `candor test`: the pre-launch check a CI pipeline runs before going live. Every selected monitor runs once, from
/// here, judged exactly as the server judges it; nothing is stored, so no store is opened.
/// </summary>
public static class TestCommand
{
    public const int AllPassed = 0;
    public const int SomeFailed = 1;
    public const int BadUsage = 2;

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "The config file (default: the built-in demo)" };
        var only = new Option<string[]>("--only")
        {
            Description = "Run only these monitors, by id: --only web-home,api (may be repeated)",
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Give ${NAME} in the config this value, over the environment: --set BASE_URL=https://staging.example (may be repeated)",
        };
        var junit = new Option<string?>("--junit") { Description = "Also write the outcome as JUnit XML to this file" };
        var command = new Command("test", "Run every monitor once from here, show the outcome, and exit 1 if any fails")
        {
            config, only, set, junit,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(config), parse.GetValue(only) ?? [], parse.GetValue(set) ?? [], parse.GetValue(junit), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string? configPath, string[] only, string[] set, string? junitPath, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in set)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                await Console.Error.WriteLineAsync($"candor test: --set '{assignment}' is not NAME=VALUE");
                return BadUsage;
            }

            variables[assignment[..equals]] = assignment[(equals + 1)..];
        }

        var loaded = ConfigSource.Load(configPath, variables);
        if (!loaded.IsValid)
        {
            ConfigSource.PrintErrors(loaded, Console.Error);
            return BadUsage;
        }

        var all = loaded.Config!.Monitors;
        var wanted = only.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        foreach (var id in wanted.Where(id => all.All(m => m.Id != id)))
        {
            await Console.Error.WriteLineAsync(
                $"candor test: --only names '{id}', which is not a monitor of {configPath ?? ConfigSource.DemoName}" +
                Suggestions.DidYouMean(id, all.Select(m => m.Id)));
            return BadUsage;
        }

        var monitors = wanted.Count == 0 ? all : [.. all.Where(m => wanted.Contains(m.Id))];
        if (monitors.Count == 0)
        {
            await Console.Error.WriteLineAsync($"candor test: {configPath ?? ConfigSource.DemoName} has no monitors to run");
            return BadUsage;
        }

        var clock = TimeProvider.System;
        var startedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        using var check = new PreLaunchCheck(clock);
        var running = check.RunAsync(monitors, cancellationToken);
        var terminal = !Console.IsOutputRedirected;
        var verdicts = terminal
            ? await PreLaunchReport.LiveAsync(AnsiConsole.Console, monitors, running, cancellationToken)
            : await PreLaunchReport.PlainAsync(Console.Out, monitors, running, cancellationToken);
        var elapsed = clock.GetElapsedTime(started);

        var failed = verdicts.Any(v => v.Verdict == Verdict.Failed);
        var summary = PreLaunchReport.Summary(verdicts, elapsed);
        if (terminal)
        {
            AnsiConsole.MarkupLine(PreLaunchReport.Colour(failed ? Verdict.Failed : Verdict.Passed, summary));
        }
        else
        {
            await Console.Out.WriteLineAsync(summary);
        }

        if (junitPath is not null)
        {
            try
            {
                await JUnitReport.WriteAsync(JUnitReport.Create(verdicts, startedAt, elapsed), junitPath, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"candor test: cannot write {junitPath}: {e.Message}");
                return BadUsage;
            }
        }

        return failed ? SomeFailed : AllPassed;
    }
}
