using System.Collections.Concurrent;
using Candor.Configuration;
using Candor.Diagnostics;
using Candor.Hosting;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Monitoring.State;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Candor.Tests.Diagnostics;

/// <summary>
/// The result pipeline over a real SQLite store, with the diagnostic worker behind it: which results are diagnosed,
/// and that a diagnosis never holds up the single writer.
/// </summary>
public sealed class OutageDiagnosisTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _dir = new();
    private readonly DateTimeOffset _t0 = TimeProvider.System.StoredNow();
    private readonly GatedCollector _collector = new();
    private CandorConfig _config = null!;
    private ICandorStore _store = null!;
    private IncidentEngine _engine = null!;
    private MaintenanceGuard _maintenance = null!;

    public async Task InitializeAsync()
    {
        var loaded = ConfigLoader.LoadText(
            $$"""
            storage: sqlite:{{_dir.Path}}/candor.db
            locations: [ { id: eu-west } ]
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: api, component: web, type: tcp, target: "127.0.0.1:9", locations: [local, eu-west] }
              - { id: db, component: web, type: tcp, target: "127.0.0.1:9" }
            incidents: { confirm_after: 2 }

            """,
            "test.yaml",
            _ => null);
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        _config = loaded.Config!;
        _store = StoreFactory.Create(_config.Storage);
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _engine?.Dispose();
        _maintenance?.Dispose();
        await _store.DisposeAsync();
    }

    /// <remarks>xunit calls this after <see cref="DisposeAsync"/>, once the store has let go of its file.</remarks>
    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Only_the_failure_that_confirms_an_outage_is_diagnosed_not_every_failure()
    {
        var requests = new DiagnosticRequestLog();
        using var pipeline = await PipelineAsync(requests);
        var first = Result("api", "local", 0, Outcome.Down);
        var confirming = Result("api", "local", 1, Outcome.Down);
        var third = Result("api", "local", 2, Outcome.Down);

        await pipeline.WriteNowAsync([first]);
        await pipeline.WriteNowAsync([confirming, third]);
        await pipeline.WriteNowAsync([Result("api", "local", 3, Outcome.Up), Result("api", "local", 4, Outcome.Down)]);
        var again = Result("api", "local", 5, Outcome.Down);
        await pipeline.WriteNowAsync([again]);

        Assert.Equal([confirming, again], requests.Requested);
    }

    [Fact]
    public async Task A_slow_diagnosis_does_not_hold_up_the_results_that_come_after_it()
    {
        using var worker = await WorkerAsync();
        using var pipeline = await PipelineAsync(worker);
        var confirming = Result("api", "local", 1, Outcome.Down);
        await pipeline.WriteNowAsync([Result("api", "local", 0, Outcome.Down), confirming]);
        await _collector.Started.Task.WaitAsync(Patience);

        var meanwhile = Enumerable.Range(2, 5).Select(i => Result("db", "local", i, Outcome.Up)).ToList();
        foreach (var result in meanwhile)
        {
            await pipeline.WriteNowAsync([result]).WaitAsync(Patience);
        }

        Assert.Equal(meanwhile.Count, (await _store.GetResultsAsync("db", _t0, _t0.AddMinutes(1), 100, CancellationToken.None)).Count);
        Assert.Null(await _store.GetDiagnosticsAsync(confirming.Id, CancellationToken.None));

        _collector.Release.SetResult();
        Assert.Contains(GatedCollector.Summary, await DiagnosticsOfAsync(confirming), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outage_seen_from_a_remote_location_is_left_to_that_location()
    {
        using var worker = await WorkerAsync(maxConcurrent: 1);
        _collector.Release.SetResult();
        var remote = Result("api", "eu-west", 1, Outcome.Down);
        var local = Result("db", "local", 1, Outcome.Down);

        worker.Request(remote);
        worker.Request(local);

        await DiagnosticsOfAsync(local);
        Assert.Equal([local], _collector.Collected);
        Assert.Null(await _store.GetDiagnosticsAsync(remote.Id, CancellationToken.None));
    }

    private CheckResult Result(string monitor, string location, int second, Outcome outcome)
    {
        var at = _t0.AddSeconds(second);
        return new CheckResult(
            Guid.CreateVersion7(at),
            monitor,
            location,
            at,
            TimeSpan.FromMilliseconds(3),
            outcome,
            outcome == Outcome.Down ? ErrorKind.Connect : null,
            outcome == Outcome.Down ? "TCP connect to 127.0.0.1:9 refused" : null,
            PhaseTimings.None);
    }

    private async Task<ResultPipeline> PipelineAsync(IDiagnosticRequests diagnostics)
    {
        var tracker = new MonitorStateTracker(_config, [], [], _t0);
        _engine = await IncidentEngine.LoadAsync(_config, _store, tracker, new ChangeFeed(), CancellationToken.None);
        _maintenance = await MaintenanceGuard.LoadAsync(_config, _store, tracker, new ChangeFeed(), CancellationToken.None);
        return new ResultPipeline(
            _store, tracker, _engine, _maintenance, diagnostics, new ResultPipelineOptions(), TimeProvider.System, NullLogger<ResultPipeline>.Instance);
    }

    private async Task<DiagnosticWorker> WorkerAsync(int maxConcurrent = 4)
    {
        var worker = new DiagnosticWorker(
            _config,
            _collector,
            _store,
            new DiagnosticsOptions { MaxConcurrent = maxConcurrent },
            TimeProvider.System,
            NullLogger<DiagnosticWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    private async Task<string> DiagnosticsOfAsync(CheckResult result)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await _store.GetDiagnosticsAsync(result.Id, CancellationToken.None) is { } json)
            {
                return json;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>A diagnosis that takes as long as the test wants.</summary>
    private sealed class GatedCollector : IDiagnosticCollector
    {
        public const string Summary = "slow but sure";

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<CheckResult> Collected { get; } = new();

        public async Task<DiagnosticBundle?> CollectAsync(MonitorConfig monitor, CheckResult confirming, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            Collected.Enqueue(confirming);
            return new DiagnosticBundle(
                Summary, monitor.Id, confirming.LocationId, confirming.Id, monitor.Target, DateTimeOffset.UtcNow, 0, null, [], null, null,
                TracerouteDiagnosis.NotRun("the connect was refused, so the route is open"));
        }
    }
}
