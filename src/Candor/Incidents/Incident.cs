namespace Candor.Incidents;

/// <summary>Statuspage's incident statuses; the API spells them in snake_case.</summary>
public enum IncidentStatus
{
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Postmortem,
}

public enum IncidentImpact
{
    None,
    Minor,
    Major,
    Critical,
}

public enum IncidentRole
{
    IncidentCommander,
    CommunicationsLead,
    OperationsLead,
}

/// <summary>
/// A period in which components are not operational. Times follow Statuspage's meanings: <see cref="StartedAt"/>
/// is when the problem began (the first confirmed failure, possibly before the incident was created),
/// <see cref="MonitoringAt"/> the first time a fix was being verified.
/// </summary>
public sealed record Incident
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public IncidentStatus Status { get; init; } = IncidentStatus.Investigating;

    public IncidentImpact Impact { get; init; }

    /// <summary>Set when a person chose the impact; it then no longer follows the worst component.</summary>
    public bool ImpactOverridden { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? MonitoringAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>True when Candor opened it from monitor evidence; false when a person did.</summary>
    public bool Automatic { get; init; }

    public IReadOnlyList<string> ComponentIds { get; init; } = [];

    /// <summary>The monitors whose failures are the evidence; verification waits on these.</summary>
    public IReadOnlyList<string> MonitorIds { get; init; } = [];

    /// <summary>First confirmed failure to last failure, from the results; open-ended while failing.</summary>
    public DateTimeOffset? ImpactStart { get; init; }

    public DateTimeOffset? ImpactEnd { get; init; }

    /// <summary>Start of the current verification window; null unless monitoring.</summary>
    public DateTimeOffset? VerifyingSince { get; init; }

    /// <summary>What affected customers must do, from the latest update that said.</summary>
    public string? CustomerAction { get; init; }

    public IReadOnlyDictionary<IncidentRole, RoleHolder> Roles { get; init; } = new Dictionary<IncidentRole, RoleHolder>();

    /// <summary>The maintenance window this incident began in: its suspected cause.</summary>
    public string? MaintenanceId { get; init; }

    /// <summary>Set once subscribers have been told of the incident; from then on they hear all of it.</summary>
    public bool SubscribersNotified { get; init; }

    public bool IsOpen => Status is IncidentStatus.Investigating or IncidentStatus.Identified or IncidentStatus.Monitoring;
}

/// <summary>A person holding an incident role, with how to reach them.</summary>
public sealed record RoleHolder(string Name, string? Contact);

public enum IncidentEventKind
{
    /// <summary>Candor or a person opened the incident.</summary>
    Opened,

    /// <summary>A person's update: Markdown body, the status it sets, optional customer action.</summary>
    Update,

    /// <summary>Candor moved the status on evidence (e.g. every monitor up again: monitoring).</summary>
    Transition,

    /// <summary>A failure inside the verification window sent the incident back to investigating.</summary>
    Regressed,

    /// <summary>Verified, or overridden with a reason.</summary>
    Resolved,

    RoleAssigned,

    ImpactChanged,

    /// <summary>Another component failed within the same minute and joined the incident.</summary>
    ComponentsJoined,
}

/// <summary>A component's status as an update recorded it (Statuspage's affected_components).</summary>
public sealed record AffectedComponent(string ComponentId, string Name, Monitoring.ComponentStatus OldStatus, Monitoring.ComponentStatus NewStatus);

/// <summary>
/// One entry on an incident's timeline. Public entries are the incident's updates in the Statuspage API;
/// internal ones (role changes, raw evidence) show only to responders.
/// </summary>
public sealed record IncidentEvent
{
    public required string Id { get; init; }

    public required string IncidentId { get; init; }

    public required IncidentEventKind Kind { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The incident's status after this event.</summary>
    public required IncidentStatus Status { get; init; }

    /// <summary>Markdown for people's updates; a plain sentence for Candor's own.</summary>
    public string Body { get; init; } = "";

    public string? CustomerAction { get; init; }

    /// <summary>Who did it: a token or user name, or "candor" for automatic events.</summary>
    public string Actor { get; init; } = "candor";

    public bool Public { get; init; } = true;

    /// <summary>Whether the responders' channels are told (and, per <see cref="NotifySubscribers"/>, subscribers).</summary>
    public bool DeliverNotifications { get; init; }

    /// <summary>Whether the subscribers of the incident's components are told too.</summary>
    public bool NotifySubscribers { get; init; }

    public IReadOnlyList<AffectedComponent>? AffectedComponents { get; init; }

    /// <summary>Machine-readable evidence (monitors, locations, first failed result), as JSON.</summary>
    public string? Evidence { get; init; }
}
