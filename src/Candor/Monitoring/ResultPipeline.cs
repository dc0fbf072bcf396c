using System.Threading.Channels;
using Candor.Diagnostics;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring.State;
using Candor.Storage;

namespace Candor.Monitoring;

public sealed record ResultPipelineOptions
{
    /// <summary>The most results written in one transaction.</summary>
    public int MaxBatch { get; init; } = 2000;

    /// <summary>
    /// How often every monitor's and component's status is re-derived, results arriving or not: a location that falls
    /// silent changes its monitor's status with nothing arriving to say so.
    /// </summary>
    public TimeSpan ReevaluateEvery { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Where finished checks hand their results: the pipeline here, an agent's uplink later.</summary>
public interface IResultSink
{
    ValueTask EnqueueAsync(CheckResult result, CancellationToken cancellationToken);
}

/// <summary>
/// The one writer of results and state. It takes whatever results have arrived (one, or thousands under load,
/// never waiting to fill a batch), runs them through the state machines, and stores results, rollups and state
/// changes in one transaction: the stored picture never shows a result without the state it caused, or the
/// reverse. A batch that fails to store is retried, not dropped; on shutdown the queue is drained first.
/// A location's view that turned down is handed to <see cref="IDiagnosticRequests"/> only once it is stored,
/// without waiting: the diagnosis goes on the network, and the one writer must never wait on the network.
/// </summary>
public sealed class ResultPipeline(
    ICandorStore store,
    MonitorStateTracker tracker,
    IncidentEngine incidents,
    MaintenanceGuard maintenance,
    IDiagnosticRequests diagnostics,
    ResultPipelineOptions options,
    TimeProvider clock,
    ILogger<ResultPipeline> logger) : BackgroundService, IResultSink
{
    private readonly Channel<CheckResult> _queue = Channel.CreateBounded<CheckResult>(
        new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>When every status was last re-derived; the first batch re-derives them all.</summary>
    private DateTimeOffset _reevaluatedAt = DateTimeOffset.MinValue;

    public ValueTask EnqueueAsync(CheckResult result, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(result, cancellationToken);

    /// <summary>Processes results at once, bypassing the queue: for tests that step a manual clock.</summary>
    internal Task WriteNowAsync(IReadOnlyList<CheckResult> results) => WriteAsync([.. results], CancellationToken.None);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<CheckResult>(options.MaxBatch);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await WaitForResultsAsync(stoppingToken).ConfigureAwait(false))
                {
                    Drain(batch);
                }

                await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The scheduler stops before this service; what its last runs produced is still written.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryPeek(out _))
        {
            Drain(batch);
            await WriteAsync(batch, stoppingToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task<bool> WaitForResultsAsync(CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(options.ReevaluateEvery, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            return await _queue.Reader.WaitToReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Drain(List<CheckResult> batch)
    {
        while (batch.Count < options.MaxBatch && _queue.Reader.TryRead(out var result))
        {
            batch.Add(result);
        }
    }

    /// <param name="stopping">Once set, a store that keeps failing is given up on after a few attempts.</param>
    private async Task WriteAsync(List<CheckResult> results, CancellationToken stopping)
    {
        var now = clock.StoredNow();

        // Under load every batch has results: re-deriving only on an empty one would never see a location fall silent.
        var reevaluate = results.Count == 0 || now - _reevaluatedAt >= options.ReevaluateEvery;
        var changes = tracker.Apply(results, now, reevaluate);
        if (reevaluate)
        {
            _reevaluatedAt = now;
        }

        var batch = new ResultBatch([.. results], changes.Locations, changes.Components);
        IReadOnlyList<ComponentStatusChange>? maintenanceChanges = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Maintenance and incidents are decided on the same evidence, and stored with it.
                await maintenance.DecideAsync(
                    batch.Results,
                    now,
                    async windows =>
                    {
                        // Computed once: a retried attempt must store the same component changes.
                        maintenanceChanges ??= tracker.SetMaintenance(windows.UnderMaintenance, now);
                        var componentChanges = batch.ComponentChanges.Concat(maintenanceChanges).ToList();
                        await incidents.CommitBatchAsync(
                            batch.Results,
                            componentChanges,
                            windows,
                            now,
                            async decided =>
                            {
                                var full = batch with { ComponentChanges = componentChanges, Incidents = decided, Maintenance = windows.Changes };
                                if (full.Results.Count > 0 || full.LocationStates.Count > 0 || componentChanges.Count > 0
                                    || !decided.IsEmpty || !windows.Changes.IsEmpty)
                                {
                                    await store.SaveBatchAsync(full, CancellationToken.None).ConfigureAwait(false);
                                }
                            },
                            CancellationToken.None).ConfigureAwait(false);
                    },
                    CancellationToken.None).ConfigureAwait(false);
                foreach (var confirming in changes.TurnedDown)
                {
                    diagnostics.Request(confirming);
                }

                return;
            }
            catch (Exception exception)
            {
                if (stopping.IsCancellationRequested && attempt >= 3)
                {
                    logger.LogCritical(exception, "Stopping with {Count} results that could not be stored", results.Count);
                    return;
                }

                var wait = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));
                logger.LogError(
                    exception, "Storing {Count} results failed (attempt {Attempt}); retrying in {Wait}", results.Count, attempt, wait);

                await Task.Delay(wait, clock, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
