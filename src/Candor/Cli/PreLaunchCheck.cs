using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Candor.Cli;

public enum Verdict
{
    Passed,
    Degraded,
    Failed,
    Skipped,
}

/// <summary>How one monitor did in a pre-launch check: its result, or why it was not run.</summary>
public sealed record MonitorVerdict(MonitorConfig Monitor, CheckResult? Result, string? SkipReason)
{
    public Verdict Verdict => Result?.Outcome switch
    {
        null => Verdict.Skipped,
        Outcome.Up => Verdict.Passed,
        Outcome.Degraded => Verdict.Degraded,
        _ => Verdict.Failed,
    };

    /// <summary>What a person needs to read: the failed or degrading conditions with their values, or the skip reason.</summary>
    public string Detail => SkipReason ?? Result?.Message ?? "";
}

/// <summary>
/// Runs monitors once each from this machine, a bounded number at once, with the server's own
/// <see cref="CheckRunner"/>: the same timeouts, conditions and judging, so a pass here means what it means there.
/// </summary>
public sealed class PreLaunchCheck : IDisposable
{
    /// <summary>Enough to get through a large config quickly, few enough not to look like a flood to the targets.</summary>
    private const int Concurrency = 16;

    private readonly ServiceProvider _services;
    private readonly CheckRunner _runner;

    public PreLaunchCheck(TimeProvider clock)
    {
        // Only the types that probe can run once. No store is opened: an smtp round-trip probe is sent, but
        // judging whether it arrives is the server's work.
        var kinds = CheckCatalog.All.Where(k => k.CannotRunOnce is null).ToList();
        _services = new ServiceCollection()
            .AddSingleton(clock)
            .AddSingleton<IMailProbeLedger, UnjudgedMailProbes>()
            .BuildServiceProvider();
        _runner = new CheckRunner(_services, kinds, clock, NullLogger<CheckRunner>.Instance);
    }

    /// <returns>Each monitor's verdict as it comes, with the monitor's index in <paramref name="monitors"/>.</returns>
    public async IAsyncEnumerable<(int Index, MonitorVerdict Verdict)> RunAsync(
        IReadOnlyList<MonitorConfig> monitors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Verdicts are handed over one at a time, so whoever shows them does so from one thread.
        var finished = Channel.CreateUnbounded<(int, MonitorVerdict)>(new UnboundedChannelOptions { SingleReader = true });
        async Task ProduceAsync()
        {
            try
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, monitors.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
                    async (index, token) => await finished.Writer.WriteAsync((index, await RunOneAsync(monitors[index], token)), token));
                finished.Writer.Complete();
            }
            catch (Exception exception)
            {
                finished.Writer.Complete(exception);
            }
        }

        var producing = ProduceAsync();
        await foreach (var verdict in finished.Reader.ReadAllAsync(cancellationToken))
        {
            yield return verdict;
        }

        await producing;
    }

    public void Dispose() => _services.Dispose();

    private async Task<MonitorVerdict> RunOneAsync(MonitorConfig monitor, CancellationToken cancellationToken) =>
        CheckCatalog.Find(monitor.Type)?.CannotRunOnce is { } reason
            ? new MonitorVerdict(monitor, null, reason)
            : new MonitorVerdict(monitor, await _runner.RunAsync(monitor, LocationConfig.Local, cancellationToken), null);
}

/// <summary>Probes sent by `candor test` are not written down: no heartbeat here will wait for them.</summary>
internal sealed class UnjudgedMailProbes : IMailProbeLedger
{
    public Task RecordMailProbeAsync(MailProbe probe, CancellationToken cancellationToken) => Task.CompletedTask;
}
