namespace Candor.Monitoring;

/// <summary>One location's view of one monitor, or a monitor's view across its locations.</summary>
public enum MonitorStatus
{
    /// <summary>No result yet.</summary>
    Unknown,
    Up,
    Degraded,
    Down,
}

/// <summary>Statuspage's component statuses; the API spells them in snake_case.</summary>
public enum ComponentStatus
{
    Operational,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
    UnderMaintenance,
}

/// <summary>
/// One location's view of one monitor as the state machine left it. <see cref="FailingSince"/> is the start of
/// the current run of failed checks (the first failure, not the confirmation), kept for impact windows.
/// </summary>
public sealed record LocationState(
    string MonitorId,
    string LocationId,
    MonitorStatus Status,
    DateTimeOffset StatusSince,
    int ConsecutiveFailures,
    DateTimeOffset? FailingSince,
    DateTimeOffset? LastCheckedAt,
    CheckResult? LastResult);

/// <summary>A component's derived status and since when it has held.</summary>
public sealed record ComponentState(string ComponentId, ComponentStatus Status, DateTimeOffset Since);

/// <summary>One change of a component's status, kept as history for incidents, uptime bars and SLA reports.</summary>
public sealed record ComponentStatusChange(
    string ComponentId, ComponentStatus From, ComponentStatus To, DateTimeOffset At);
