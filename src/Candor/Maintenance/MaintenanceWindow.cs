namespace Candor.Maintenance;

/// <summary>Where a window is; `failed` is Candor's own, shown as `completed` by the Statuspage API.</summary>
public enum MaintenanceState
{
    Scheduled,
    InProgress,
    Verifying,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>
/// One maintenance window (one occurrence of a recurring one). After <see cref="ScheduledUntil"/> its
/// components must be healthy within <see cref="Grace"/> and stay healthy for <see cref="VerifyFor"/>, or the
/// maintenance has failed and an incident opens with it as the suspected cause.
/// </summary>
public sealed record MaintenanceWindow
{
    public required string Id { get; init; }

    /// <summary>The config entry it came from; null for windows made through the API.</summary>
    public string? ConfigId { get; init; }

    public required string Title { get; init; }

    public string Body { get; init; } = "";

    public required IReadOnlyList<string> ComponentIds { get; init; }

    public required DateTimeOffset ScheduledFor { get; init; }

    public required DateTimeOffset ScheduledUntil { get; init; }

    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(10);

    public required TimeSpan VerifyFor { get; init; }

    /// <summary>The zone people plan it in (a recurring window's, or the one chosen when it was made); null: UTC alone.</summary>
    public string? TimeZone { get; init; }

    public MaintenanceState State { get; init; } = MaintenanceState.Scheduled;

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the work ended and verification began.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Since when every location has seen every component healthy after the work; null while not.</summary>
    public DateTimeOffset? HealthySince { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The first failed check of its components after it started: where customers' trouble began.</summary>
    public DateTimeOffset? FirstFailureAt { get; init; }

    /// <summary>The incident opened because the maintenance failed.</summary>
    public string? IncidentId { get; init; }

    /// <summary>Reminders already sent, as minutes before the start (so none is sent twice).</summary>
    public IReadOnlyList<int> RemindersSent { get; init; } = [];

    public bool IsActive => State is MaintenanceState.InProgress or MaintenanceState.Verifying;

    public bool IsOver => State is MaintenanceState.Completed or MaintenanceState.Failed or MaintenanceState.Cancelled;
}

public enum MaintenanceEventKind
{
    Scheduled,
    Reminder,
    Started,
    Extended,
    Verifying,
    Completed,
    Failed,
    Cancelled,

    /// <summary>A check failed inside the window: for the responders' channels that asked, never public.</summary>
    FailureInWindow,
}

/// <summary>One entry on a window's timeline; public ones are its updates in the Statuspage API.</summary>
public sealed record MaintenanceEvent
{
    public required string Id { get; init; }

    public required string WindowId { get; init; }

    public required MaintenanceEventKind Kind { get; init; }

    public required DateTimeOffset At { get; init; }

    public required MaintenanceState State { get; init; }

    public string Body { get; init; } = "";

    public string Actor { get; init; } = "candor";

    public bool Public { get; init; } = true;

    public bool DeliverNotifications { get; init; }
}
