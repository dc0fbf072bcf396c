using Candor.Incidents;

namespace Candor.StatusPage.Api;

/// <summary>
/// Statuspage's maintenance statuses. Candor's <c>failed</c> window has no counterpart: it is shown as
/// <see cref="Completed"/>, and the incident the failure opened carries it.
/// </summary>
public enum MaintenanceStatus
{
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

/// <summary>What a maintenance's <c>impact</c> says; current Statuspage pages always show <see cref="Maintenance"/>.</summary>
public enum MaintenanceImpact
{
    Maintenance,
    None,
    Minor,
    Major,
    Critical,
}

/// <summary>
/// A scheduled maintenance window as the public API shows it. Times follow Statuspage's meanings:
/// <see cref="StartedAt"/> is when the window was announced (not its start), <see cref="MonitoringAt"/> when it
/// entered verifying and <see cref="ResolvedAt"/> when it completed.
/// </summary>
public sealed record PublicMaintenance
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required MaintenanceStatus Status { get; init; }

    public MaintenanceImpact Impact { get; init; } = MaintenanceImpact.Maintenance;

    public required DateTimeOffset ScheduledFor { get; init; }

    public required DateTimeOffset ScheduledUntil { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? MonitoringAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public IReadOnlyList<string> ComponentIds { get; init; } = [];

    /// <summary>The public updates in the order they were posted; the API shows them newest first.</summary>
    public IReadOnlyList<MaintenanceUpdate> Updates { get; init; } = [];
}

/// <summary>One public update of a maintenance, such as "Scheduled maintenance is currently in progress."</summary>
public sealed record MaintenanceUpdate
{
    public required string Id { get; init; }

    /// <summary>The maintenance's status after this update.</summary>
    public required MaintenanceStatus Status { get; init; }

    public required DateTimeOffset At { get; init; }

    public string Body { get; init; } = "";

    public bool DeliverNotifications { get; init; }

    /// <summary>Null when the update selected no components.</summary>
    public IReadOnlyList<AffectedComponent>? AffectedComponents { get; init; }
}
