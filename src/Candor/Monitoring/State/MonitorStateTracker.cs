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
    private readonly Dictionary<string, MonitorConfig> _monitors;
    private readonly ILookup<string, MonitorConfig> _monitorsByComponent;
    private readonly Dictionary<(string Monitor, string Location), LocationState> _locations = [];
    private readonly Dictionary<string, ComponentState> _components = [];

    /// <summary>
    /// Each monitor's verdict (<see cref="StatusRules.VerdictOf"/>) as its component was last derived from: a result
    /// re-derives its component only when it changes its monitor's verdict, not every component it touches from all
    /// its monitors.
    /// </summary>
    private readonly Dictionary<string, MonitorStatus> _monitorStatuses = [];

    /// <summary>
    /// Each component's monitors counted by those verdicts, kept as they change: at a start every monitor changes
    /// status once, and re-deriving its component from all its monitors each time cost a few percent of the CPU
    /// while the checks of the first interval were falling behind.
    /// </summary>
    private readonly Dictionary<string, StatusTally> _tallies = [];
    private HashSet<string> _underMaintenance = [];

    public MonitorStateTracker(
        CandorConfig config,
        IReadOnlyList<LocationState> storedLocations,
        IReadOnlyList<ComponentState> storedComponents,
        DateTimeOffset now)
    {
        _config = config;
        _monitors = config.Monitors.ToDictionary(m => m.Id);
        _monitorsByComponent = config.Monitors.ToLookup(m => m.Component);
        var stored = storedLocations.ToDictionary(s => (s.MonitorId, s.LocationId));
        foreach (var monitor in config.Monitors)
        {
            foreach (var location in monitor.Locations)
            {
                _locations[(monitor.Id, location)] = stored.GetValueOrDefault((monitor.Id, location))
                    ?? LocationStateMachine.Initial(monitor.Id, location, now);
            }

            _monitorStatuses[monitor.Id] = VerdictOf(monitor, now);
        }

        var storedComponentStates = storedComponents.ToDictionary(c => c.ComponentId);
        foreach (var component in config.Components)
        {
            _tallies[component.Id] = StatusTally.Of(_monitorsByComponent[component.Id].Select(m => _monitorStatuses[m.Id]));
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
            var before = new Dictionary<(string, string), LocationState>();
            var changed = new Dictionary<(string, string), LocationState>();
            var touched = new HashSet<string>();
            var turnedDown = new List<CheckResult>();
            foreach (var result in results.OrderBy(r => r.StartedAt))
            {
                var key = (result.MonitorId, result.LocationId);
                if (!_monitors.TryGetValue(result.MonitorId, out var monitor) || !_locations.TryGetValue(key, out var state))
                {
                    continue;
                }

                var next = LocationStateMachine.Next(state, result, ConfirmAfter(monitor));
                if (next.Status == MonitorStatus.Down && state.Status != MonitorStatus.Down)
                {
                    turnedDown.Add(result);
                }

                before.TryAdd(key, state);
                _locations[key] = next;
                changed[key] = next;
                if (!reevaluateAll && Restate(monitor, now))
                {
                    touched.Add(monitor.Component);
                }
            }

            var locations = changed
                .Where(pair => LocationStateMachine.Differs(before[pair.Key], pair.Value))
                .Select(pair => pair.Value)
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

    private MonitorView ViewOf(MonitorConfig monitor, DateTimeOffset now)
    {
        var states = LocationsOf(monitor);
        return new MonitorView(
            monitor,
            StatusOf(monitor, now),
            [.. states.Select(s => new LocationView(s, StatusRules.IsSilent(s, monitor, now)))]);
    }

    private MonitorStatus StatusOf(MonitorConfig monitor, DateTimeOffset now) =>
        StatusRules.MonitorStatusOf(monitor, LocationsOf(monitor), monitor.Quorum ?? _config.Incidents.Quorum, now);

    private MonitorStatus VerdictOf(MonitorConfig monitor, DateTimeOffset now) =>
        StatusRules.VerdictOf(monitor, LocationsOf(monitor), monitor.Quorum ?? _config.Incidents.Quorum, now);

    private IEnumerable<LocationState> LocationsOf(MonitorConfig monitor) => monitor.Locations.Select(l => _locations[(monitor.Id, l)]);

    /// <summary>Takes the monitor's verdict now; whether it differs from the one its component was derived from.</summary>
    private bool Restate(MonitorConfig monitor, DateTimeOffset now)
    {
        var status = VerdictOf(monitor, now);
        var was = _monitorStatuses[monitor.Id];
        if (was == status)
        {
            return false;
        }

        _monitorStatuses[monitor.Id] = status;
        var tally = _tallies[monitor.Component];
        tally.Remove(was);
        tally.Add(status);
        return true;
    }

    private List<ComponentStatusChange> ReevaluateAll(DateTimeOffset now)
    {
        foreach (var monitor in _config.Monitors)
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
}
