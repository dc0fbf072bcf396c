using Candor.Configuration;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Monitoring.State;
using Candor.Notifications;
using Candor.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Candor.Tests.Fixtures;

/// <summary>
/// The result pipeline, the state machines and the incident engine over a real SQLite store, driven by a
/// manual clock: a test reports what each location saw and when, and reads back what Candor decided. An hour
/// of verification runs in milliseconds. Results from remote locations arrive as an agent would send them.
/// </summary>
public sealed class IncidentSimulation : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly CandorConfig _config;
    private ResultPipeline _pipeline = null!;
    private IncidentEngine _engine = null!;
    private MaintenanceGuard _maintenance = null!;

    private IncidentSimulation(TempDirectory dir, CandorConfig config, ICandorStore store, ManualClock clock)
    {
        _dir = dir;
        _config = config;
        Store = store;
        Clock = clock;
    }

    public ManualClock Clock { get; }

    public ICandorStore Store { get; }

    public IncidentEngine Engine => _engine;

    public MaintenanceGuard Maintenance => _maintenance;

    /// <param name="yaml">Components and monitors of type `scripted`; storage is supplied.</param>
    public static async Task<IncidentSimulation> StartAsync(string yaml, ManualClock clock)
    {
        var dir = new TempDirectory();
        var loaded = ConfigLoader.LoadText($"storage: sqlite:{dir.Path}/candor.db\n{yaml}", "test.yaml", _ => null, [ScriptedCheck.Kind]);
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        var store = StoreFactory.Create(loaded.Config!.Storage);
        await store.MigrateAsync(CancellationToken.None);
        var simulation = new IncidentSimulation(dir, loaded.Config, store, clock);
        await simulation.LoadAsync();
        return simulation;
    }

    /// <summary>Throws away everything in memory and reloads it from the store, as a restarted server does.</summary>
    public async Task RestartAsync()
    {
        _pipeline.Dispose();
        _engine.Dispose();
        _maintenance.Dispose();
        await LoadAsync();
    }

    /// <summary>Every location of every monitor reports this outcome now (except the locations left out).</summary>
    public Task ReportAsync(Outcome outcome, params string[] except) =>
        _pipeline.WriteNowAsync([.. _config.Monitors
            .SelectMany(m => m.Locations.Select(l => (m, l)))
            .Where(p => !except.Contains(p.l))
            .Select(p => Result(p.m.Id, p.l, outcome))]);

    public Task ReportAsync(string monitor, string location, Outcome outcome) =>
        _pipeline.WriteNowAsync([Result(monitor, location, outcome)]);

    /// <summary>Steps the clock by <paramref name="every"/> for <paramref name="span"/>, reporting at each step.</summary>
    public async Task RunForAsync(TimeSpan span, TimeSpan every, Outcome outcome, params string[] except)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += every)
        {
            Clock.Advance(every);
            await ReportAsync(outcome, except);
        }
    }

    /// <summary>Steps the clock, each location of each monitor reporting what <paramref name="outcome"/> says then.</summary>
    public async Task RunForAsync(TimeSpan span, TimeSpan every, Func<string, string, DateTimeOffset, Outcome> outcome)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += every)
        {
            Clock.Advance(every);
            var now = Clock.GetUtcNow();
            await _pipeline.WriteNowAsync([.. _config.Monitors
                .SelectMany(m => m.Locations.Select(l => Result(m.Id, l, outcome(m.Id, l, now))))]);
        }
    }

    /// <summary>A confirmed e-mail subscriber of one component; returns its id.</summary>
    public async Task<string> SubscribeAsync(string address, string component)
    {
        var subscriber = ConfirmedSubscriber.Email(Ids.New(), address, [component], Clock.GetUtcNow());
        Assert.True(await Store.AddSubscriberAsync(subscriber, CancellationToken.None));
        return subscriber.Id;
    }

    public async Task<Incident> OnlyIncidentAsync() =>
        Assert.Single(await Store.GetRecentIncidentsAsync(10, CancellationToken.None));

    public async Task<IReadOnlyList<IncidentEvent>> TimelineAsync(string incidentId) =>
        await Store.GetIncidentEventsAsync(incidentId, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _pipeline.Dispose();
        _engine.Dispose();
        _maintenance.Dispose();
        await Store.DisposeAsync();
        _dir.Dispose();
    }

    private CheckResult Result(string monitor, string location, Outcome outcome) => new(
        Guid.CreateVersion7(Clock.GetUtcNow()),
        monitor,
        location,
        Clock.GetUtcNow(),
        TimeSpan.FromMilliseconds(40),
        outcome,
        outcome == Outcome.Down ? ErrorKind.Status : null,
        outcome == Outcome.Down ? "status (503) == 200" : null,
        PhaseTimings.None);

    private async Task LoadAsync()
    {
        var now = Clock.GetUtcNow();
        await Store.SyncMonitorsAsync([.. _config.Monitors.Select(m => new MonitorRegistration(m.Id, m.Type, null, null))], now, CancellationToken.None);
        var tracker = new MonitorStateTracker(
            _config,
            await Store.GetLocationStatesAsync(CancellationToken.None),
            await Store.GetComponentStatesAsync(CancellationToken.None),
            now);
        _engine = await IncidentEngine.LoadAsync(_config, Store, tracker, new Hosting.ChangeFeed(), CancellationToken.None);
        _maintenance = await MaintenanceGuard.LoadAsync(_config, Store, tracker, new Hosting.ChangeFeed(), CancellationToken.None);
        _pipeline = new ResultPipeline(
            Store, tracker, _engine, _maintenance, new DiagnosticRequestLog(), new ResultPipelineOptions(), Clock, NullLogger<ResultPipeline>.Instance);
    }
}
