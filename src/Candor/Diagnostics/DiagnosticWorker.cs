using System.Threading.Channels;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Storage;

namespace Candor.Diagnostics;

/// <summary>Where the result pipeline asks for a diagnosis of a location's view that has just turned down.</summary>
public interface IDiagnosticRequests
{
    /// <summary>Returns at once: the caller is the single writer and must not wait on the network.</summary>
    void Request(CheckResult confirming);
}

/// <summary>
/// Diagnoses outages in the background, a few at a time, and stores each bundle with the result that confirmed
/// the outage. Only the local location's views are diagnosed here: a remote location is a different vantage point,
/// and looking from this server would describe the wrong path.
/// </summary>
public sealed class DiagnosticWorker(
    CandorConfig config,
    IDiagnosticCollector collector,
    ICandorStore store,
    DiagnosticsOptions options,
    TimeProvider clock,
    ILogger<DiagnosticWorker> logger) : BackgroundService, IDiagnosticRequests
{
    private readonly Channel<CheckResult> _queue = Channel.CreateBounded<CheckResult>(
        new BoundedChannelOptions(options.MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Dictionary<string, MonitorConfig> _monitors = config.Monitors.ToDictionary(m => m.Id);

    public void Request(CheckResult confirming)
    {
        if (confirming.LocationId != LocationConfig.Local || !_monitors.ContainsKey(confirming.MonitorId))
        {
            return;
        }

        if (!_queue.Writer.TryWrite(confirming))
        {
            logger.LogWarning(
                "{Count} diagnoses are waiting already; {Monitor} at {Location} is not diagnosed",
                options.MaxQueued,
                confirming.MonitorId,
                confirming.LocationId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Parallel.ForEachAsync(
                _queue.Reader.ReadAllAsync(stoppingToken),
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrent, CancellationToken = stoppingToken },
                DiagnoseAsync).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a diagnosis cut short is not stored; the results and states it would describe are.
        }
    }

    private async ValueTask DiagnoseAsync(CheckResult confirming, CancellationToken stoppingToken)
    {
        var monitor = _monitors[confirming.MonitorId];
        using var timeout = new CancellationTokenSource(options.Timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            if (await collector.CollectAsync(monitor, confirming, either.Token).ConfigureAwait(false) is { } bundle)
            {
                await store.SaveDiagnosticsAsync(confirming.Id, bundle.ToJson(), stoppingToken).ConfigureAwait(false);
                logger.LogInformation("{Monitor} at {Location} is down: {Summary}", monitor.Id, confirming.LocationId, bundle.Summary);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            logger.LogWarning(
                "Diagnosing {Monitor} at {Location} took longer than {Timeout}; nothing is stored",
                monitor.Id,
                confirming.LocationId,
                Duration.Format(options.Timeout));
        }
        catch (Exception exception)
        {
            // One broken diagnosis must not stop the others, nor the worker.
            logger.LogError(exception, "Diagnosing {Monitor} at {Location} failed", monitor.Id, confirming.LocationId);
        }
    }
}
