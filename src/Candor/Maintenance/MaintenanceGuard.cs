using System.Globalization;
using Candor.Configuration;
using Candor.Hosting;
using Candor.Incidents;
using Candor.Monitoring;
using Candor.Monitoring.State;
using Candor.Storage;

namespace Candor.Maintenance;

/// <summary>Why a person's maintenance request was refused.</summary>
/// <param name="field">The field of the request that could not be read, where one could not.</param>
public sealed class MaintenanceRefusedException(bool notFound, string message, string? field = null) : Exception(message)
{
    public bool NotFound { get; } = notFound;

    public string? Field { get; } = field;
}

/// <summary>What one decision of the guard changes, and what follows for incidents.</summary>
/// <param name="UnderMaintenance">Components in a window that is in progress or verifying.</param>
/// <param name="Failed">Windows that failed in this decision: each opens an incident.</param>
/// <param name="Active">Windows in progress or verifying: named as a possible cause of other failures.</param>
public sealed record MaintenanceDecision(
    MaintenanceChanges Changes,
    IReadOnlySet<string> UnderMaintenance,
    IReadOnlyList<MaintenanceWindow> Failed,
    IReadOnlyList<MaintenanceWindow> Active);

/// <summary>
/// Runs maintenance windows and watches them go right. Checks go on inside a window; its components show as
/// under maintenance and open no incident. When the work ends the window is verifying: every location must
/// see every component healthy within `grace`, and keep seeing it so for `verify_for`, before it is completed.
/// If not, it has failed, and an incident opens at once with the maintenance as its suspected cause and the
/// impact counted from the first failure inside the window — customers were affected from then.
/// </summary>
public sealed class MaintenanceGuard : IDisposable
{
    /// <summary>How far ahead recurring windows are put on the schedule (and so announced).</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CandorConfig _config;
    private readonly ICandorStore _store;
    private readonly MonitorStateTracker _tracker;
    private readonly ChangeFeed _changes;
    private readonly Dictionary<string, MaintenanceWindow> _windows;

    /// <summary>Ids of windows that are over, so that a config window that ended is not scheduled again.</summary>
    private readonly HashSet<string> _ended;
    private readonly IReadOnlyList<string> _channels;

    private MaintenanceGuard(
        CandorConfig config, ICandorStore store, MonitorStateTracker tracker, ChangeFeed changes, IReadOnlyList<MaintenanceWindow> windows)
    {
        _changes = changes;
        _config = config;
        _store = store;
        _tracker = tracker;
        _windows = windows.Where(w => !w.IsOver).ToDictionary(w => w.Id);
        _ended = [.. windows.Where(w => w.IsOver).Select(w => w.Id)];
        _channels = [.. config.Notifications.Channels.Where(c => c.Maintenance).Select(c => c.Id)];
    }

    /// <summary>Enough ended windows to cover every config window that could still be scheduled again.</summary>
    private const int EndedToRemember = 1000;

    public static async Task<MaintenanceGuard> LoadAsync(
        CandorConfig config, ICandorStore store, MonitorStateTracker tracker, ChangeFeed changes, CancellationToken cancellationToken) =>
        new(config, store, tracker, changes, await store.GetMaintenanceWindowsAsync(EndedToRemember, cancellationToken));

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Decides what the clock and these results mean for the windows; <paramref name="commit"/> stores the
    /// decision (with the batch) and memory follows only once it has.
    /// </summary>
    public async Task DecideAsync(
        IReadOnlyList<CheckResult> results, DateTimeOffset now, Func<MaintenanceDecision, Task> commit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var work = new Work(_windows, _ended, _channels);
            Schedule(work, now);
            foreach (var window in work.Current.ToList())
            {
                Advance(work, window, results, now);
            }

            var active = work.Current.Where(w => w.IsActive).ToList();
            var changes = work.Changes();
            await commit(new MaintenanceDecision(changes, active.SelectMany(w => w.ComponentIds).ToHashSet(), work.FailedNow, active));
            work.Apply(_windows);
            if (!changes.IsEmpty)
            {
                _changes.Publish();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Schedules a window a person asked for; <see cref="MaintenancePlanning"/> reads their request into a plan.</summary>
    public Task<MaintenanceWindow> CreateAsync(MaintenancePlan plan, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            if (string.IsNullOrWhiteSpace(plan.Title))
            {
                throw new MaintenanceRefusedException(false, "a maintenance window needs a title, which customers read");
            }

            var unknown = plan.ComponentIds.Where(c => _config.Components.All(k => k.Id != c)).ToList();
            if (unknown.Count > 0 || plan.ComponentIds.Count == 0)
            {
                throw new MaintenanceRefusedException(false, plan.ComponentIds.Count == 0
                    ? "a maintenance window needs at least one component"
                    : $"unknown component(s): {string.Join(", ", unknown)}");
            }

            if (plan.Duration <= TimeSpan.Zero)
            {
                throw new MaintenanceRefusedException(false, "the duration must be positive");
            }

            var window = new MaintenanceWindow
            {
                Id = Ids.New(),
                Title = plan.Title.Trim(),
                Body = plan.Body,
                ComponentIds = [.. plan.ComponentIds],
                ScheduledFor = plan.Starts,
                ScheduledUntil = plan.Starts + plan.Duration,
                Grace = plan.Grace ?? TimeSpan.FromMinutes(10),
                VerifyFor = plan.VerifyFor ?? _config.Incidents.VerifyFor,
                TimeZone = plan.TimeZone,
                CreatedAt = now,
                UpdatedAt = now,
            };
            work.Put(window);
            work.Event(window, MaintenanceEventKind.Scheduled, now, Announcement(window), actor, notify: true);
            return window;
        }, cancellationToken);

    /// <summary>Starts a scheduled window now, ahead of its time.</summary>
    public Task<MaintenanceWindow> StartAsync(string id, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            var window = Find(work, id);
            if (window.State != MaintenanceState.Scheduled)
            {
                throw new MaintenanceRefusedException(false, $"the window is {Words(window.State)}, not scheduled");
            }

            Start(work, window with { ScheduledFor = now }, now, actor);
            return work.Get(id);
        }, cancellationToken);

    /// <summary>The work is done (early or on time): the window moves on to verifying now.</summary>
    public Task<MaintenanceWindow> CompleteAsync(string id, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            var window = Find(work, id);
            if (window.State == MaintenanceState.Scheduled)
            {
                Start(work, window, now, actor);
                window = work.Get(id);
            }

            if (window.State != MaintenanceState.InProgress)
            {
                throw new MaintenanceRefusedException(false, $"the window is {Words(window.State)}, not in progress");
            }

            EndWork(work, window, now, actor);
            return work.Get(id);
        }, cancellationToken);

    public Task<MaintenanceWindow> ExtendAsync(string id, DateTimeOffset until, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            var window = Find(work, id);
            if (window.State is not (MaintenanceState.Scheduled or MaintenanceState.InProgress) || until <= window.ScheduledUntil)
            {
                throw new MaintenanceRefusedException(false, "only a scheduled or running window can be extended, and only to a later end");
            }

            var extended = window with { ScheduledUntil = until, UpdatedAt = now };
            work.Put(extended);
            work.Event(extended, MaintenanceEventKind.Extended, now, $"The window is extended until {Time(until)}.", actor, notify: true);
            return extended;
        }, cancellationToken);

    public Task<MaintenanceWindow> CancelAsync(string id, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ActAsync(work =>
        {
            var window = Find(work, id);
            if (window.State != MaintenanceState.Scheduled)
            {
                throw new MaintenanceRefusedException(false, "only a window that has not started can be cancelled; complete a running one");
            }

            var cancelled = window with { State = MaintenanceState.Cancelled, UpdatedAt = now };
            work.Put(cancelled);
            work.Event(cancelled, MaintenanceEventKind.Cancelled, now, "This maintenance is cancelled.", actor, notify: true);
            return cancelled;
        }, cancellationToken);

    private async Task<MaintenanceWindow> ActAsync(Func<Work, MaintenanceWindow> act, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var work = new Work(_windows, _ended, _channels);
            var window = act(work);
            await _store.SaveMaintenanceChangesAsync(work.Changes(), cancellationToken);
            work.Apply(_windows);
            _changes.Publish();
            return window;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static MaintenanceWindow Find(Work work, string id) =>
        work.Find(id) ?? throw new MaintenanceRefusedException(true, $"no current maintenance window has the id '{id}'");

    /// <summary>Puts the config's windows on the schedule: one-off ones once, recurring ones a week ahead.</summary>
    private void Schedule(Work work, DateTimeOffset now)
    {
        foreach (var entry in _config.Maintenance)
        {
            var starts = entry.Starts is { } once
                ? [once]
                : Occurrences(entry.Cron!, entry.Zone(_config.Page), now, now + Horizon);
            foreach (var start in starts)
            {
                var id = entry.Starts is null ? $"{entry.Id}-{start.UtcDateTime:yyyyMMdd'T'HHmm}" : entry.Id;
                if (work.Known(id) || start + entry.Duration + entry.Grace + (entry.VerifyFor ?? _config.Incidents.VerifyFor) < now)
                {
                    continue;
                }

                var window = new MaintenanceWindow
                {
                    Id = id,
                    ConfigId = entry.Id,
                    Title = entry.Title,
                    Body = entry.Body,
                    ComponentIds = entry.Components,
                    ScheduledFor = start,
                    ScheduledUntil = start + entry.Duration,
                    Grace = entry.Grace,
                    VerifyFor = entry.VerifyFor ?? _config.Incidents.VerifyFor,
                    TimeZone = entry.Cron is null ? entry.TimeZone : entry.Zone(_config.Page).Id,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                work.Put(window);
                work.Event(window, MaintenanceEventKind.Scheduled, now, Announcement(window), notify: true);
            }
        }
    }

    private void Advance(Work work, MaintenanceWindow window, IReadOnlyList<CheckResult> results, DateTimeOffset now)
    {
        Remind(work, window, now);
        window = work.Get(window.Id);
        if (window.State == MaintenanceState.Scheduled && now >= window.ScheduledFor)
        {
            Start(work, window, now, "candor");
            window = work.Get(window.Id);
        }

        var monitors = _config.Monitors.Where(m => window.ComponentIds.Contains(m.Component)).Select(m => m.Id).ToHashSet();
        var failures = results.Where(r => r.Outcome == Outcome.Down && monitors.Contains(r.MonitorId)).ToList();
        if (window.IsActive && window.FirstFailureAt is null && failures.Count > 0)
        {
            var first = failures.MinBy(r => r.StartedAt)!;
            window = window with { FirstFailureAt = first.StartedAt };
            work.Put(window);
            work.Event(window, MaintenanceEventKind.FailureInWindow, now,
                $"{first.MonitorId} failed at {Time(first.StartedAt)} from {first.LocationId} during the maintenance: {first.Message}",
                notify: true, isPublic: false);
        }

        if (window.State == MaintenanceState.InProgress && now >= window.ScheduledUntil)
        {
            EndWork(work, window, window.ScheduledUntil, "candor");
            window = work.Get(window.Id);
        }

        if (window.State != MaintenanceState.Verifying)
        {
            return;
        }

        var healthy = monitors.All(id => _tracker.Monitor(id, now) is not { } view
            || view.Locations.All(l => l.State.Status == MonitorStatus.Up && !l.Silent));
        var failedSinceHealthy = window.HealthySince is { } since && failures.Any(r => r.StartedAt >= since);
        if (failedSinceHealthy || (window.HealthySince is null && !healthy && now >= window.EndedAt + window.Grace))
        {
            // The incident's id is chosen here so that the window, stored in the same batch, can name it.
            var failed = window with { State = MaintenanceState.Failed, UpdatedAt = now, CompletedAt = now, IncidentId = Ids.New() };
            work.Put(failed);
            work.Failed(failed);
            work.Event(failed, MaintenanceEventKind.Failed, now,
                $"The maintenance did not end well: {Names(failed)} {(failedSinceHealthy ? "failed again" : "did not come back healthy")} " +
                $"within {Duration.Format(failed.Grace)} of its end. An incident is open.",
                notify: true);
            return;
        }

        if (window.HealthySince is null && healthy)
        {
            window = window with { HealthySince = now, UpdatedAt = now };
            work.Put(window);
        }

        if (window.HealthySince is { } healthySince && now >= healthySince + window.VerifyFor)
        {
            var completed = window with { State = MaintenanceState.Completed, UpdatedAt = now, CompletedAt = now };
            work.Put(completed);
            work.Event(completed, MaintenanceEventKind.Completed, now,
                $"The maintenance is complete: every location saw {Names(completed)} healthy for {Duration.Format(completed.VerifyFor)}.",
                notify: true);
        }
    }

    /// <summary>
    /// Each reminder once, when its time comes while the window is still ahead; one whose time had already
    /// passed when the window was announced is not sent (the announcement said it all).
    /// </summary>
    private void Remind(Work work, MaintenanceWindow window, DateTimeOffset now)
    {
        if (window.State != MaintenanceState.Scheduled || now >= window.ScheduledFor)
        {
            return;
        }

        var due = _config.Notifications.MaintenanceReminders
            .Where(before => now >= window.ScheduledFor - before && window.CreatedAt < window.ScheduledFor - before)
            .Select(before => (int)before.TotalMinutes)
            .Where(minutes => !window.RemindersSent.Contains(minutes))
            .ToList();
        if (due.Count == 0)
        {
            return;
        }

        var reminded = window with { RemindersSent = [.. window.RemindersSent, .. due], UpdatedAt = now };
        work.Put(reminded);
        work.Event(reminded, MaintenanceEventKind.Reminder, now,
            $"Reminder: maintenance of {Names(reminded)} starts at {Time(reminded.ScheduledFor)} and should end by {Time(reminded.ScheduledUntil)}. {reminded.Body}".Trim(),
            notify: true);
    }

    private void Start(Work work, MaintenanceWindow window, DateTimeOffset now, string actor)
    {
        var started = window with { State = MaintenanceState.InProgress, StartedAt = now, UpdatedAt = now };
        work.Put(started);
        work.Event(started, MaintenanceEventKind.Started, now, $"The maintenance has started. {started.Body}".Trim(), actor, notify: true);
    }

    private void EndWork(Work work, MaintenanceWindow window, DateTimeOffset at, string actor)
    {
        var verifying = window with { State = MaintenanceState.Verifying, EndedAt = at, UpdatedAt = at };
        work.Put(verifying);
        work.Event(verifying, MaintenanceEventKind.Verifying, at,
            $"The work is done. Candor is verifying that {Names(verifying)} are healthy from every location.", actor);
    }

    private string Names(MaintenanceWindow window) =>
        string.Join(", ", window.ComponentIds.Select(id => _config.Components.FirstOrDefault(c => c.Id == id)?.Name ?? id));

    private string Announcement(MaintenanceWindow window) =>
        $"Scheduled maintenance of {Names(window)} from {Time(window.ScheduledFor)} to {Time(window.ScheduledUntil)}. {window.Body}".Trim();

    private static IEnumerable<DateTimeOffset> Occurrences(CronSchedule cron, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset until)
    {
        // A window that started up to a day ago may still be running; look back for it.
        for (var next = cron.Next(from - TimeSpan.FromDays(1), zone); next <= until; next = cron.Next(next, zone))
        {
            yield return next;
        }
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Words(MaintenanceState state) => state switch
    {
        MaintenanceState.InProgress => "in progress",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <param name="channels">The responders' channels that asked to hear of failures inside a window.</param>
    private sealed class Work(Dictionary<string, MaintenanceWindow> current, HashSet<string> ended, IReadOnlyList<string> channels)
    {
        private readonly Dictionary<string, MaintenanceWindow> _changed = [];
        private readonly List<MaintenanceEvent> _events = [];
        private readonly List<MaintenanceWindow> _failed = [];

        public IEnumerable<MaintenanceWindow> Current =>
            current.Values.Where(w => !_changed.ContainsKey(w.Id)).Concat(_changed.Values).Where(w => !w.IsOver);

        public IReadOnlyList<MaintenanceWindow> FailedNow => _failed;

        public bool Known(string id) => current.ContainsKey(id) || _changed.ContainsKey(id) || ended.Contains(id);

        public MaintenanceWindow? Find(string id) =>
            (_changed.TryGetValue(id, out var changed) ? changed : current.GetValueOrDefault(id)) is { IsOver: false } found ? found : null;

        public MaintenanceWindow Get(string id) => _changed.TryGetValue(id, out var changed) ? changed : current[id];

        public void Put(MaintenanceWindow window) => _changed[window.Id] = window;

        public void Failed(MaintenanceWindow window) => _failed.Add(window);

        public void Event(
            MaintenanceWindow window,
            MaintenanceEventKind kind,
            DateTimeOffset at,
            string body,
            string actor = "candor",
            bool notify = false,
            bool isPublic = true) =>
            _events.Add(new MaintenanceEvent
            {
                Id = Ids.New(),
                WindowId = window.Id,
                Kind = kind,
                At = at,
                State = window.State,
                Body = body,
                Actor = actor,
                Public = isPublic,
                DeliverNotifications = notify,
            });

        public MaintenanceChanges Changes() => new([.. _changed.Values], [.. _events]) { ResponderChannels = channels };

        public void Apply(Dictionary<string, MaintenanceWindow> target)
        {
            foreach (var window in _changed.Values)
            {
                if (window.IsOver)
                {
                    target.Remove(window.Id);
                    ended.Add(window.Id);
                }
                else
                {
                    target[window.Id] = window;
                }
            }
        }
    }
}
