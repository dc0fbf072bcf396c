using Candor.Configuration;

namespace Candor.Monitoring.State;

/// <summary>
/// Location states and component changes that one batch of results caused. <see cref="Locations"/> holds the states
/// that changed in substance (<see cref="LocationStateMachine.Differs"/>): a state that only saw another check is
/// not written again, the store reading its last check from the results.
/// </summary>
public sealed record StateChanges(IReadOnlyList<LocationState> Locations, IReadOnlyList<ComponentStatusChange> Components)
{
    /// <summary>The results that turned a location's view down: the confirming failure of each new outage.</summary>
    public IReadOnlyList<CheckResult> TurnedDown { get; init; } = [];

    public bool IsEmpty => Locations.Count == 0 && Components.Count == 0;
}

public sealed record LocationView(LocationState State, bool Silent);

public sealed record MonitorView(MonitorConfig Monitor, MonitorStatus Status, IReadOnlyList<LocationView> Locations);

public sealed record ComponentView(ComponentConfig Component, ComponentState State, IReadOnlyList<MonitorView> Monitors);

public sealed record StatusSnapshot(DateTimeOffset At, IReadOnlyList<ComponentView> Components);

/// <summary>
/// The state machines of every monitor-location and the derived status of every component, in memory. The
/// result pipeline is its only writer and persists every change it returns in the same transaction as the
/// results behind it, so the store always holds the same picture and a restart reloads it unchanged.
/// </summary>
public sealed class MonitorStateTracker
{
    private readonly Lock _gate = new();
    private readonly CandorConfig _config;

    /// <summary>
    /// Each monitor with its locations' states side by side: a result finds its monitor with one look-up of its id
    /// and its location among a few, where states kept by (monitor, location) were looked up by both names several
    /// times a result.
    /// </summary>
    private readonly Dictionary<string, TrackedMonitor> _monitors;

    private readonly ILookup<string, TrackedMonitor> _monitorsByComponent;
    private readonly Dictionary<string, ComponentState> _components = [];

    /// <summary>
    /// Each component's monitors counted by their verdicts, kept as they change: at a start every monitor changes
    /// status once, and re-deriving its component from all its monitors each time cost a few percent of the CPU
    /// while the checks of the first interval were falling behind.
    /// </summary>
    private readonly Dictionary<string, StatusTally> _tallies = [];
    private HashSet<string> _underMaintenance = [];

    /// <summary>Counts the batches applied, so that a location knows whether the one under way has touched it yet.</summary>
    private long _batch;

    public MonitorStateTracker(
        CandorConfig config,
        IReadOnlyList<LocationState> storedLocations,
        IReadOnlyList<ComponentState> storedComponents,
        DateTimeOffset now)
    {
        _config = config;
        var stored = storedLocations.ToDictionary(s => (s.MonitorId, s.LocationId));
        _monitors = config.Monitors.ToDictionary(
            m => m.Id,
            m => new TrackedMonitor(
                m,
                [.. m.Locations.Select(l => stored.GetValueOrDefault((m.Id, l)) ?? LocationStateMachine.Initial(m.Id, l, now))],
                ConfirmAfter(m),
                m.Quorum ?? config.Incidents.Quorum,
                now));
        _monitorsByComponent = _monitors.Values.ToLookup(m => m.Config.Component);

        var storedComponentStates = storedComponents.ToDictionary(c => c.ComponentId);
        foreach (var component in config.Components)
        {
            var tally = StatusTally.Of(_monitorsByComponent[component.Id].Select(m => m.Verdict));
            foreach (var monitor in _monitorsByComponent[component.Id])
            {
                monitor.Tally = tally;
            }

            _tallies[component.Id] = tally;
            _components[component.Id] = storedComponentStates.GetValueOrDefault(component.Id)
                ?? new ComponentState(component.Id, ComponentStatus.Operational, now);
        }
    }

    /// <summary>
    /// Runs the results through the location state machines, then re-derives the components whose monitors changed
    /// status. With <paramref name="reevaluateAll"/>, every monitor's status is taken again and every component
    /// re-derived: a location that falls silent changes its monitor's status with no result arriving to say so.
    /// </summary>
    public StateChanges Apply(IReadOnlyList<CheckResult> results, DateTimeOffset now, bool reevaluateAll = false)
    {
        lock (_gate)
        {
            var batch = ++_batch;
            var touchedLocations = new List<(TrackedMonitor Monitor, int Location, LocationState Before)>();
            var touched = new HashSet<string>();
            var turnedDown = new List<CheckResult>();
            foreach (var result in results.OrderBy(r => r.StartedAt))
            {
                if (!_monitors.TryGetValue(result.MonitorId, out var monitor) || monitor.IndexOf(result.LocationId) is not (>= 0 and var location))
                {
                    continue;
                }

                var state = monitor.Locations[location];
                var next = LocationStateMachine.Next(state, result, monitor.ConfirmAfter);
                if (next.Status == MonitorStatus.Down && state.Status != MonitorStatus.Down)
                {
                    turnedDown.Add(result);
                }

                if (monitor.TouchedIn[location] != batch)
                {
                    monitor.TouchedIn[location] = batch;
                    touchedLocations.Add((monitor, location, state));
                }

                monitor.Locations[location] = next;
                if (!reevaluateAll && Restate(monitor, now))
                {
                    touched.Add(monitor.Config.Component);
                }
            }

            var locations = touchedLocations
                .Where(t => LocationStateMachine.Differs(t.Before, t.Monitor.Locations[t.Location]))
                .Select(t => t.Monitor.Locations[t.Location])
                .ToList();
            var components = reevaluateAll ? ReevaluateAll(now) : DeriveComponents(touched, now);
            return new StateChanges(locations, components) { TurnedDown = turnedDown };
        }
    }

    /// <summary>
    /// Puts exactly these components under maintenance (the rest leave it) and returns the status changes
    /// that follows. Their monitors keep their own states: the checks go on, and what they find is kept.
    /// </summary>
    public IReadOnlyList<ComponentStatusChange> SetMaintenance(IReadOnlySet<string> componentIds, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_underMaintenance.SetEquals(componentIds))
            {
                return [];
            }

            var affected = _underMaintenance.Union(componentIds).Where(_components.ContainsKey).ToList();
            _underMaintenance = [.. componentIds];
            return DeriveComponents(affected, now);
        }
    }

    public StatusSnapshot Snapshot(DateTimeOffset now)
    {
        lock (_gate)
        {
            var views = _config.Components
                .Select(c => new ComponentView(
                    c,
                    _components[c.Id],
                    [.. _monitorsByComponent[c.Id].Select(m => ViewOf(m, now))]))
                .ToList();
            return new StatusSnapshot(now, views);
        }
    }

    /// <summary>Every component's state, without the views of all their monitors that <see cref="Snapshot"/> builds.</summary>
    public Dictionary<string, ComponentState> ComponentStates()
    {
        lock (_gate)
        {
            return new Dictionary<string, ComponentState>(_components);
        }
    }

    public MonitorView? Monitor(string monitorId, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _monitors.TryGetValue(monitorId, out var monitor) ? ViewOf(monitor, now) : null;
        }
    }

    public ComponentState? Component(string componentId)
    {
        lock (_gate)
        {
            return _components.GetValueOrDefault(componentId);
        }
    }

    private int ConfirmAfter(MonitorConfig monitor) =>
        monitor.ConfirmAfter
        ?? (CheckCatalog.Find(monitor.Type)?.ConfirmsAtOnce == true ? 1 : _config.Incidents.ConfirmAfter);

    private static MonitorView ViewOf(TrackedMonitor monitor, DateTimeOffset now) =>
        new(
            monitor.Config,
            StatusRules.MonitorStatusOf(monitor.Config, monitor.Locations, monitor.Quorum, now),
            [.. monitor.Locations.Select(s => new LocationView(s, StatusRules.IsSilent(s, monitor.Config, now)))]);

    /// <summary>Takes the monitor's verdict now; whether it differs from the one its component was derived from.</summary>
    private static bool Restate(TrackedMonitor monitor, DateTimeOffset now)
    {
        var status = monitor.VerdictAt(now);
        var was = monitor.Verdict;
        if (was == status)
        {
            return false;
        }

        monitor.Verdict = status;
        monitor.Tally.Remove(was);
        monitor.Tally.Add(status);
        return true;
    }

    private List<ComponentStatusChange> ReevaluateAll(DateTimeOffset now)
    {
        foreach (var monitor in _monitors.Values)
        {
            Restate(monitor, now);
        }

        return DeriveComponents(_config.Components.Select(c => c.Id), now);
    }

    private List<ComponentStatusChange> DeriveComponents(IEnumerable<string> componentIds, DateTimeOffset now)
    {
        var changes = new List<ComponentStatusChange>();
        foreach (var componentId in componentIds)
        {
            var status = _underMaintenance.Contains(componentId)
                ? ComponentStatus.UnderMaintenance
                : StatusRules.ComponentStatusOf(_tallies[componentId]);
            var current = _components[componentId];
            if (status != current.Status)
            {
                _components[componentId] = new ComponentState(componentId, status, now);
                changes.Add(new ComponentStatusChange(componentId, current.Status, status, now));
            }
        }

        return changes;
    }

    /// <summary>One monitor's locations' states, in the order of its config's, and its verdict as last counted.</summary>
    private sealed class TrackedMonitor
    {
        public TrackedMonitor(MonitorConfig config, LocationState[] locations, int confirmAfter, Quorum quorum, DateTimeOffset now)
        {
            Config = config;
            Locations = locations;
            ConfirmAfter = confirmAfter;
            Quorum = quorum;
            TouchedIn = new long[locations.Length];
            Verdict = VerdictAt(now);
        }

        public MonitorConfig Config { get; }

        public LocationState[] Locations { get; }

        public int ConfirmAfter { get; }

        public Quorum Quorum { get; }

        /// <summary>The batch that last touched each location: the first result of a batch keeps the state before it.</summary>
        public long[] TouchedIn { get; }

        /// <summary>
        /// The verdict (<see cref="StatusRules.VerdictOf"/>) its component was last derived from: a result re-derives
        /// the component only when it changes this, not every component it touches from all its monitors.
        /// </summary>
        public MonitorStatus Verdict { get; set; }

        /// <summary>Its component's tally, in which <see cref="Verdict"/> is counted.</summary>
        public StatusTally Tally { get; set; } = new();

        public MonitorStatus VerdictAt(DateTimeOffset now) => StatusRules.VerdictOf(Config, Locations, Quorum, now);

        /// <summary>Where the location is among the monitor's; -1 for one it does not check from.</summary>
        public int IndexOf(string locationId)
        {
            var locations = Config.Locations;
            for (var i = 0; i < locations.Count; i++)
            {
                if (string.Equals(locations[i], locationId, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
