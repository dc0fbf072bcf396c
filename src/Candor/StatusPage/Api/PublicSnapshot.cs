using Candor.Configuration;
using Candor.Incidents;
using Candor.Monitoring;

namespace Candor.StatusPage.Api;

/// <summary>
/// Everything the public Statuspage API shows, frozen at one moment. The endpoints render each document once
/// per snapshot instance, so a source hands out a new instance only when something public has changed.
/// </summary>
public sealed record PublicSnapshot
{
    public required PublicPage Page { get; init; }

    /// <summary>Every configured component (groups are derived from their <c>group</c> names).</summary>
    public required IReadOnlyList<PublicComponent> Components { get; init; }

    /// <summary>At least every unresolved incident and the 50 most recently created ones, in any order.</summary>
    public required IReadOnlyList<PublicIncident> Incidents { get; init; }

    /// <summary>At least every upcoming or active window and the 50 most recently created ones, in any order.</summary>
    public IReadOnlyList<PublicMaintenance> Maintenances { get; init; } = [];
}

/// <param name="Id">Statuspage's page id: 12 lower-case letters and digits, stable for the life of the page.</param>
/// <param name="Url">The canonical public URL; incident short links are built on it, so it must be absolute.</param>
/// <param name="TimeZone">The zone every timestamp is shown in; its id is published as <c>time_zone</c>.</param>
/// <param name="UpdatedAt">The last change to anything public: a component, an incident or a maintenance.</param>
public sealed record PublicPage(string Id, string Name, Uri Url, TimeZoneInfo TimeZone, DateTimeOffset UpdatedAt);

/// <param name="Status">The component's current status, maintenance included.</param>
/// <param name="CreatedAt">When the component first appeared; its date is where its uptime history starts.</param>
/// <param name="UpdatedAt">The last change of its status or of its configuration.</param>
/// <param name="Position">
/// The component's place in the configuration. Only the order matters: the API numbers positions again within
/// each level (the top level, and inside each group).
/// </param>
public sealed record PublicComponent(
    ComponentConfig Config, ComponentStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Position);

/// <param name="Timeline">
/// The incident's timeline in the order it happened. Only the public entries are published, newest first, so a
/// source may pass the whole timeline.
/// </param>
public sealed record PublicIncident(Incident Incident, IReadOnlyList<IncidentEvent> Timeline);

/// <summary>Where the API endpoints read the current snapshot; reading must be cheap, as it happens per request.</summary>
public interface IPublicSnapshotSource
{
    PublicSnapshot Current { get; }
}
