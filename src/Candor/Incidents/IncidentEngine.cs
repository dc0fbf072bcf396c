using System.Globalization;
using System.Text.Json;
using Candor.Configuration;
using Candor.Hosting;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Monitoring.State;
using Candor.Storage;

namespace Candor.Incidents;

/// <summary>Why a person's request was refused; the API turns each into a problem.</summary>
public sealed class IncidentRefusedException(string kind, string message, VerificationVerdict? verdict = null) : Exception(message)
{
    /// <summary>not-found, invalid, or unverified.</summary>
    public string Kind { get; } = kind;

    public VerificationVerdict? Verdict { get; } = verdict;
}

/// <summary>
/// Turns confirmed failures into incidents and people's actions into timeline events, and resolves an incident
/// only on verified evidence. It is the one writer of incidents: automatic decisions are stored in the same
/// transaction as the results behind them, and people's actions wait their turn behind the same lock, so the
/// two never interleave.
/// </summary>
public sealed class IncidentEngine : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CandorConfig _config;
    private readonly ICandorStore _store;
    private readonly MonitorStateTracker _tracker;
    private readonly ChangeFeed _changes;
    private readonly Dictionary<string, MonitorConfig> _monitors;
    private readonly Dictionary<string, ComponentConfig> _components;
    private readonly Dictionary<string, Incident> _open;

    /// <summary>When each incident's evidence was last read for resolution: reading it costs queries.</summary>
    private readonly Dictionary<string, DateTimeOffset> _lastJudged = [];

    private IncidentEngine(
        CandorConfig config, ICandorStore store, MonitorStateTracker tracker, ChangeFeed changes, IEnumerable<Incident> open)
    {
        _changes = changes;
        _config = config;
        _store = store;
        _tracker = tracker;
        _monitors = config.Monitors.ToDictionary(m => m.Id);
        _components = config.Components.ToDictionary(c => c.Id);
        _open = open.ToDictionary(i => i.Id);
    }

    /// <summary>How often an incident past its window, but not yet verified, has its evidence read again.</summary>
    private static readonly TimeSpan JudgeEvery = TimeSpan.FromSeconds(5);

    public void Dispose() => _gate.Dispose();

    public static async Task<IncidentEngine> LoadAsync(
        CandorConfig config, ICandorStore store, MonitorStateTracker tracker, ChangeFeed changes, CancellationToken cancellationToken) =>
        new(config, store, tracker, changes, await store.GetOpenIncidentsAsync(cancellationToken));

    /// <summary>
    /// Decides what a batch of results (possibly empty: a tick) means for incidents and hands the decision to
    /// <paramref name="save"/>, which stores it with the batch. Memory follows only once the save succeeded.
    /// </summary>
    public async Task CommitBatchAsync(
        IReadOnlyList<CheckResult> results,
        IReadOnlyList<ComponentStatusChange> componentChanges,
        MaintenanceDecision maintenance,
        DateTimeOffset now,
        Func<IncidentChanges, Task> save,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var work = NewWork();
            foreach (var failed in maintenance.Failed)
            {
                OpenForFailedMaintenance(work, failed, now);
            }

            OpenOrJoin(work, componentChanges, maintenance, now);
            TrackFailures(work, results, now);
            await ResolveVerifiedAsync(work, results, now, cancellationToken);
            var changes = work.Changes();
            await save(changes);
            work.Apply(_open);
            foreach (var closed in _lastJudged.Keys.Where(id => !_open.ContainsKey(id)).ToList())
            {
                _lastJudged.Remove(closed);
            }
            if (!changes.IsEmpty || componentChanges.Count > 0)
            {
                _changes.Publish();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<Incident> CreateAsync(
        string name,
        IReadOnlyList<string> componentIds,
        IncidentStatus status,
        string body,
        IncidentImpact? impact,
        string actor,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            var unknown = componentIds.Where(c => !_components.ContainsKey(c)).ToList();
            if (unknown.Count > 0)
            {
                throw new IncidentRefusedException("invalid", $"unknown component(s): {string.Join(", ", unknown)}");
            }

            if (status is IncidentStatus.Resolved or IncidentStatus.Postmortem)
            {
                throw new IncidentRefusedException("invalid", "a new incident starts as investigating, identified or monitoring");
            }

            var statuses = componentIds.Select(c => _tracker.Component(c)?.Status ?? ComponentStatus.Operational);
            var incident = new Incident
            {
                Id = Ids.New(),
                Name = name,
                Status = status,
                Impact = impact ?? IncidentRules.ImpactOf(statuses),
                ImpactOverridden = impact is not null,
                CreatedAt = now,
                UpdatedAt = now,
                StartedAt = now,
                ComponentIds = [.. componentIds],
                MonitorIds = [.. _config.Monitors.Where(m => componentIds.Contains(m.Component)).Select(m => m.Id)],
                MonitoringAt = status == IncidentStatus.Monitoring ? now : null,
            };
            incident = StartVerificationIfHealthy(incident, now);
            work.Put(incident);
            work.Event(incident, IncidentEventKind.Opened, now, body, actor: actor, notify: true);
            return incident;
        }, cancellationToken);

    public Task<Incident> PostUpdateAsync(
        string incidentId,
        IncidentStatus status,
        string body,
        string? customerAction,
        string actor,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            var incident = OpenIncident(work, incidentId);
            if (status is IncidentStatus.Resolved or IncidentStatus.Postmortem)
            {
                throw new IncidentRefusedException(
                    "invalid", "an update cannot resolve an incident: resolve it, so that Candor can check the evidence");
            }

            incident = incident with
            {
                Status = status,
                UpdatedAt = now,
                CustomerAction = customerAction ?? incident.CustomerAction,
                MonitoringAt = status == IncidentStatus.Monitoring ? incident.MonitoringAt ?? now : incident.MonitoringAt,
            };
            if (status == IncidentStatus.Monitoring)
            {
                incident = StartVerificationIfHealthy(incident, now);
            }

            work.Put(incident);
            work.Event(incident, IncidentEventKind.Update, now, body, customerAction, actor, notify: true);
            return incident;
        }, cancellationToken);

    public Task<Incident> AssignRoleAsync(
        string incidentId, IncidentRole role, RoleHolder holder, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            var incident = OpenIncident(work, incidentId);
            var roles = new Dictionary<IncidentRole, RoleHolder>(incident.Roles) { [role] = holder };
            incident = incident with { Roles = roles, UpdatedAt = now };
            work.Put(incident);
            var contact = holder.Contact is null ? "" : $" ({holder.Contact})";
            work.Event(incident, IncidentEventKind.RoleAssigned, now, $"{RoleWords(role)}: {holder.Name}{contact}", actor: actor, isPublic: false);
            return incident;
        }, cancellationToken);

    public Task<Incident> SetImpactAsync(
        string incidentId, IncidentImpact impact, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            var incident = OpenIncident(work, incidentId) with { Impact = impact, ImpactOverridden = true, UpdatedAt = now };
            work.Put(incident);
            work.Event(incident, IncidentEventKind.ImpactChanged, now, $"Impact set to {impact.ToString().ToLowerInvariant()}.", actor: actor, isPublic: false);
            return incident;
        }, cancellationToken);

    /// <summary>
    /// Resolves when the evidence verifies it. Otherwise refuses with what is missing, unless the person
    /// overrides with a written reason, which is kept on the public timeline.
    /// </summary>
    public async Task<Incident> ResolveAsync(
        string incidentId, bool overrideGate, string? reason, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var work = NewWork();
            var incident = OpenIncident(work, incidentId);
            var verdict = await VerdictAsync(incident, [], now, cancellationToken);
            if (verdict is { Verified: false } && !overrideGate)
            {
                throw new IncidentRefusedException("unverified", string.Join("; ", verdict.Reasons()), verdict);
            }

            if (verdict is { Verified: false } && string.IsNullOrWhiteSpace(reason))
            {
                throw new IncidentRefusedException("invalid", "resolving without verification needs a written reason");
            }

            incident = Resolve(incident, now);
            work.Put(incident);
            var body = verdict is { Verified: false }
                ? $"Resolved by {actor} before verification finished. Reason: {reason!.Trim()}"
                : "Resolved.";
            work.Event(incident, IncidentEventKind.Resolved, now, body, actor: actor, notify: true,
                evidence: verdict is { Verified: false } ? JsonSerializer.Serialize(verdict.Reasons()) : null);
            await _store.SaveIncidentChangesAsync(work.Changes(), cancellationToken);
            work.Apply(_open);
            _changes.Publish();
            return incident;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What an open incident still lacks before it can be resolved; null when it has no monitors to ask.</summary>
    public async Task<VerificationVerdict?> VerdictAsync(string incidentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _open.TryGetValue(incidentId, out var incident)
                ? await VerdictAsync(incident, [], now, cancellationToken)
                : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Incident> ActAsync(Func<Work, Incident> act, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var work = NewWork();
            var incident = act(work);
            await _store.SaveIncidentChangesAsync(work.Changes(), cancellationToken);
            work.Apply(_open);
            _changes.Publish();
            return incident;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Work NewWork() =>
        new(_open, _config.Incidents.NotifySubscribers, [.. _config.Notifications.Channels.Select(c => c.Id)]);

    private static Incident OpenIncident(Work work, string incidentId) =>
        work.Find(incidentId) ?? throw new IncidentRefusedException("not-found", $"no open incident has the id '{incidentId}'");

    /// <summary>
    /// A maintenance that did not end well is the suspected cause of what follows: the incident names it, and
    /// its impact counts from the first failure inside the window, when customers were first affected.
    /// </summary>
    private void OpenForFailedMaintenance(Work work, MaintenanceWindow window, DateTimeOffset now)
    {
        var names = string.Join(", ", window.ComponentIds.Select(id => _components.GetValueOrDefault(id)?.Name ?? id));
        var startedAt = window.FirstFailureAt ?? window.EndedAt ?? now;
        var monitorIds = _config.Monitors.Where(m => window.ComponentIds.Contains(m.Component)).Select(m => m.Id).ToList();
        var incident = new Incident
        {
            Id = window.IncidentId ?? throw new InvalidOperationException($"failed maintenance '{window.Id}' names no incident"),
            Name = $"{names}: not healthy after maintenance '{window.Title}'",
            Automatic = true,
            CreatedAt = now,
            UpdatedAt = now,
            StartedAt = startedAt,
            ImpactStart = startedAt,
            ImpactEnd = window.FirstFailureAt is null ? null : now,
            ComponentIds = [.. window.ComponentIds],
            MonitorIds = monitorIds,
            Impact = IncidentImpact.Critical,
            MaintenanceId = window.Id,
        };
        work.Put(incident);
        work.Event(incident, IncidentEventKind.Opened, now,
            $"This began during scheduled maintenance '{window.Title}' that started at {Time(window.StartedAt ?? window.ScheduledFor)}: " +
            $"{names} did not come back healthy within {Duration.Format(window.Grace)} of its end. " +
            $"Customers have been affected since {Time(startedAt)}. We are investigating.",
            notify: true,
            evidence: JsonSerializer.Serialize(new { maintenance = window.Id, first_failure = window.FirstFailureAt }));
    }

    private void OpenOrJoin(Work work, IReadOnlyList<ComponentStatusChange> changes, MaintenanceDecision maintenance, DateTimeOffset now)
    {
        foreach (var change in changes.Where(c => c.To is not (ComponentStatus.Operational or ComponentStatus.UnderMaintenance)
            && !maintenance.UnderMaintenance.Contains(c.ComponentId)))
        {
            var name = _components[change.ComponentId].Name;
            var failing = FailingMonitors(change.ComponentId, now);
            if (work.OpenIncidents.FirstOrDefault(i => i.ComponentIds.Contains(change.ComponentId)) is { } existing)
            {
                work.Put(FollowImpact(existing, now) with { MonitorIds = [.. existing.MonitorIds.Union(failing.Select(m => m.Monitor.Id))] });
                continue;
            }

            var evidence = Evidence(failing);
            var startedAt = FirstFailure(failing) ?? now;
            var joinable = work.OpenIncidents
                .Where(i => i.Automatic && now - i.CreatedAt <= IncidentRules.JoinWindow)
                .MaxBy(i => i.CreatedAt);
            if (joinable is not null)
            {
                var joined = FollowImpact(
                    joinable with
                    {
                        ComponentIds = [.. joinable.ComponentIds, change.ComponentId],
                        MonitorIds = [.. joinable.MonitorIds.Union(failing.Select(m => m.Monitor.Id))],
                        StartedAt = startedAt < joinable.StartedAt ? startedAt : joinable.StartedAt,
                        ImpactStart = Earliest(joinable.ImpactStart, startedAt),
                    },
                    now);
                work.Put(joined);
                work.Event(joined, IncidentEventKind.ComponentsJoined, now,
                    $"{name} is affected too: {IncidentRules.Words(change.To)} since {Time(startedAt)}.", notify: true, evidence: evidence);
                continue;
            }

            var incident = new Incident
            {
                Id = Ids.New(),
                Name = $"{name}: {IncidentRules.Words(change.To)}",
                Automatic = true,
                CreatedAt = now,
                UpdatedAt = now,
                StartedAt = startedAt,
                ImpactStart = startedAt,
                ComponentIds = [change.ComponentId],
                MonitorIds = [.. failing.Select(m => m.Monitor.Id)],
                Impact = IncidentRules.ImpactOf([change.To]),
            };
            work.Put(incident);
            var possibleCause = maintenance.Active.Count == 0
                ? ""
                : " " + string.Join(" ", maintenance.Active.Select(w =>
                    $"Scheduled maintenance '{w.Title}' (started {Time(w.StartedAt ?? w.ScheduledFor)}) is under way and may be related."));
            work.Event(incident, IncidentEventKind.Opened, now,
                $"Candor confirmed a {IncidentRules.Words(change.To)} of {name}, failing since {Time(startedAt)}. We are investigating.{possibleCause}",
                notify: true, evidence: evidence);
        }
    }

    private void TrackFailures(Work work, IReadOnlyList<CheckResult> results, DateTimeOffset now)
    {
        foreach (var incident in work.OpenIncidents.ToList())
        {
            var failures = results
                .Where(r => r.Outcome == Outcome.Down && incident.MonitorIds.Contains(r.MonitorId))
                .ToList();
            var current = incident;
            if (failures.Count > 0)
            {
                var last = failures.Max(r => r.StartedAt + r.Duration);
                current = current with { ImpactEnd = current.ImpactEnd is { } end && end > last ? end : last };
            }

            if (current.Status == IncidentStatus.Monitoring && current.VerifyingSince is { } since
                && failures.FirstOrDefault(r => r.StartedAt >= since) is { } regression)
            {
                current = FollowImpact(current, now) with
                {
                    Status = IncidentStatus.Investigating,
                    VerifyingSince = null,
                    UpdatedAt = now,
                };
                work.Put(current);
                work.Event(current, IncidentEventKind.Regressed, now,
                    $"The problem has returned: {regression.MonitorId} failed again at {Time(regression.StartedAt)} from {regression.LocationId}. " +
                    "We are investigating again, and will verify for the full window once it passes again.",
                    notify: true, evidence: JsonSerializer.Serialize(new { result = regression.Id, regression.Message }));
                continue;
            }

            if (current.Automatic && current.Status is IncidentStatus.Investigating or IncidentStatus.Identified
                && current.MonitorIds.Count > 0 && AllUp(current, now))
            {
                current = current with
                {
                    Status = IncidentStatus.Monitoring,
                    MonitoringAt = current.MonitoringAt ?? now,
                    VerifyingSince = now,
                    UpdatedAt = now,
                };
                work.Put(current);
                work.Event(current, IncidentEventKind.Transition, now,
                    $"Every affected check is passing again. Candor is verifying from every location for {Duration.Format(_config.Incidents.VerifyFor)} before calling this resolved.",
                    notify: true);
                continue;
            }

            if (!ReferenceEquals(current, incident))
            {
                work.Put(current);
            }
        }
    }

    private async Task ResolveVerifiedAsync(Work work, IReadOnlyList<CheckResult> results, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var incident in work.OpenIncidents.Where(i => i.Status == IncidentStatus.Monitoring && i.VerifyingSince is not null).ToList())
        {
            if (incident.VerifyingSince + _config.Incidents.VerifyFor > now
                || (_lastJudged.TryGetValue(incident.Id, out var judged) && now - judged < JudgeEvery))
            {
                continue;
            }

            _lastJudged[incident.Id] = now;

            var verdict = await VerdictAsync(incident, results, now, cancellationToken);
            if (verdict is not { Verified: true })
            {
                continue;
            }

            var resolved = Resolve(incident, now);
            work.Put(resolved);
            work.Event(resolved, IncidentEventKind.Resolved, now,
                $"Resolved: every location saw every affected check pass for {Duration.Format(_config.Incidents.VerifyFor)}. " +
                $"Customers were affected from {Time(resolved.ImpactStart ?? resolved.StartedAt)} to {Time(resolved.ImpactEnd ?? now)}.",
                notify: true);
        }
    }

    private async Task<VerificationVerdict?> VerdictAsync(
        Incident incident, IReadOnlyList<CheckResult> unsaved, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var monitors = incident.MonitorIds.Where(_monitors.ContainsKey).Select(id => _monitors[id]).ToList();
        if (monitors.Count == 0)
        {
            return null;
        }

        var results = new List<CheckResult>(unsaved.Where(r => incident.MonitorIds.Contains(r.MonitorId)));
        if (incident.VerifyingSince is { } since)
        {
            foreach (var monitor in monitors)
            {
                results.AddRange(await _store.GetResultsAsync(monitor.Id, since, now.AddTicks(1), 100_000, cancellationToken));
            }
        }

        var verdict = Verification.Judge(
            monitors, [.. results.DistinctBy(r => r.Id)], incident.VerifyingSince, _config.Incidents.VerifyFor, now);
        return verdict;
    }

    private Incident StartVerificationIfHealthy(Incident incident, DateTimeOffset now) =>
        incident.Status == IncidentStatus.Monitoring && incident.VerifyingSince is null && incident.MonitorIds.Count > 0
            && AllUp(incident, now)
            ? incident with { VerifyingSince = now }
            : incident;

    private static Incident Resolve(Incident incident, DateTimeOffset now) =>
        incident with { Status = IncidentStatus.Resolved, ResolvedAt = now, UpdatedAt = now, VerifyingSince = null };

    /// <summary>Every affected monitor up again (a monitor no longer in the config has nothing left to say).</summary>
    private bool AllUp(Incident incident, DateTimeOffset now) =>
        incident.MonitorIds.All(id => _tracker.Monitor(id, now) is not { } view || view.Status == MonitorStatus.Up);

    private Incident FollowImpact(Incident incident, DateTimeOffset now)
    {
        if (incident.ImpactOverridden)
        {
            return incident;
        }

        var impact = IncidentRules.ImpactOf(
            incident.ComponentIds.Select(c => _tracker.Component(c)?.Status ?? ComponentStatus.Operational));
        return impact > incident.Impact ? incident with { Impact = impact, UpdatedAt = now } : incident;
    }

    private List<MonitorView> FailingMonitors(string componentId, DateTimeOffset now) =>
        [.. _config.Monitors
            .Where(m => m.Component == componentId)
            .Select(m => _tracker.Monitor(m.Id, now))
            .OfType<MonitorView>()
            .Where(v => v.Locations.Any(l => l.State.Status is MonitorStatus.Down or MonitorStatus.Degraded))];

    private static DateTimeOffset? FirstFailure(IEnumerable<MonitorView> failing) =>
        failing.SelectMany(v => v.Locations).Select(l => l.State.FailingSince ?? (l.State.Status == MonitorStatus.Degraded ? l.State.StatusSince : null))
            .Where(t => t is not null).Min();

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private static string Evidence(IEnumerable<MonitorView> failing) => JsonSerializer.Serialize(
        failing.Select(v => new
        {
            monitor = v.Monitor.Id,
            locations = v.Locations
                .Where(l => l.State.Status is MonitorStatus.Down or MonitorStatus.Degraded)
                .Select(l => new
                {
                    location = l.State.LocationId,
                    status = l.State.Status.ToString().ToLowerInvariant(),
                    failing_since = l.State.FailingSince,
                    last_result = l.State.LastResult?.Id,
                    message = l.State.LastResult?.Message,
                }),
        }));

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string RoleWords(IncidentRole role) => role switch
    {
        IncidentRole.IncidentCommander => "Incident commander",
        IncidentRole.CommunicationsLead => "Communications lead",
        _ => "Operations lead",
    };

    /// <summary>The incidents and events one decision changes, applied to memory only once stored.</summary>
    /// <param name="policy">When subscribers are first told of an incident.</param>
    /// <param name="channels">The responders' channels, told of every event that delivers notifications.</param>
    private sealed class Work(Dictionary<string, Incident> open, SubscriberNotification policy, IReadOnlyList<string> channels)
    {
        private readonly Dictionary<string, Incident> _changed = [];
        private readonly List<IncidentEvent> _events = [];

        public IEnumerable<Incident> OpenIncidents =>
            open.Values.Where(i => !_changed.ContainsKey(i.Id)).Concat(_changed.Values).Where(i => i.IsOpen);

        public Incident? Find(string id) =>
            (_changed.TryGetValue(id, out var changed) ? changed : open.GetValueOrDefault(id)) is { IsOpen: true } found ? found : null;

        public void Put(Incident incident) => _changed[incident.Id] = incident;

        public void Event(
            Incident incident,
            IncidentEventKind kind,
            DateTimeOffset at,
            string body,
            string? customerAction = null,
            string actor = "candor",
            bool notify = false,
            bool isPublic = true,
            string? evidence = null)
        {
            var deliver = notify && isPublic;

            // Responders hear everything at once; subscribers, under the manual policy, only once a person has
            // published something, and from then on all of it.
            var toSubscribers = deliver
                && (policy == SubscriberNotification.Auto || actor != "candor" || incident.SubscribersNotified);
            if (toSubscribers && !incident.SubscribersNotified)
            {
                Put(incident with { SubscribersNotified = true });
            }

            _events.Add(new IncidentEvent
            {
                Id = Ids.New(),
                IncidentId = incident.Id,
                Kind = kind,
                At = at,
                Status = incident.Status,
                Body = body,
                CustomerAction = customerAction,
                Actor = actor,
                Public = isPublic,
                DeliverNotifications = deliver,
                NotifySubscribers = toSubscribers,
                Evidence = evidence,
            });
        }

        public IncidentChanges Changes() => new([.. _changed.Values], [.. _events]) { ResponderChannels = channels };

        public void Apply(Dictionary<string, Incident> target)
        {
            foreach (var incident in _changed.Values)
            {
                if (incident.IsOpen)
                {
                    target[incident.Id] = incident;
                }
                else
                {
                    target.Remove(incident.Id);
                }
            }
        }
    }
}
