using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Candor.Incidents;

namespace Candor.Storage;

/// <summary>How incidents and their timeline events map to rows, the same on both engines.</summary>
internal static class IncidentRows
{
    public const string IncidentColumns =
        "id, name, status, impact, impact_overridden, created_at, updated_at, started_at, monitoring_at, resolved_at, " +
        "automatic, component_ids, monitor_ids, impact_start, impact_end, verifying_since, customer_action, roles, " +
        "maintenance_id, subscribers_notified";

    public const string EventColumns =
        "id, incident_id, kind, at, status, body, customer_action, actor, public, deliver_notifications, " +
        "affected_components, evidence, notify_subscribers";

    /// <summary>The same snake_case spelling inside the JSON as in the scalar columns.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>An incident is always written whole, so the stored row is exactly the latest record.</summary>
    public static readonly RowStatement<Incident> Upsert = new(
        "INSERT INTO incidents (" + IncidentColumns + """
        )
        VALUES (@id, @name, @status, @impact, @impact_overridden, @created_at, @updated_at, @started_at,
            @monitoring_at, @resolved_at, @automatic, @component_ids, @monitor_ids, @impact_start, @impact_end,
            @verifying_since, @customer_action, @roles, @maintenance_id, @subscribers_notified)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name,
            status = excluded.status,
            impact = excluded.impact,
            impact_overridden = excluded.impact_overridden,
            created_at = excluded.created_at,
            updated_at = excluded.updated_at,
            started_at = excluded.started_at,
            monitoring_at = excluded.monitoring_at,
            resolved_at = excluded.resolved_at,
            automatic = excluded.automatic,
            component_ids = excluded.component_ids,
            monitor_ids = excluded.monitor_ids,
            impact_start = excluded.impact_start,
            impact_end = excluded.impact_end,
            verifying_since = excluded.verifying_since,
            customer_action = excluded.customer_action,
            roles = excluded.roles,
            maintenance_id = excluded.maintenance_id,
            subscribers_notified = excluded.subscribers_notified
        """,
        new("id", incident => incident.Id),
        new("name", incident => incident.Name),
        new("status", incident => StoredValues.Name(incident.Status)),
        new("impact", incident => StoredValues.Name(incident.Impact)),
        new("impact_overridden", incident => incident.ImpactOverridden),
        new("created_at", incident => StoredValues.UnixMs(incident.CreatedAt)),
        new("updated_at", incident => StoredValues.UnixMs(incident.UpdatedAt)),
        new("started_at", incident => StoredValues.UnixMs(incident.StartedAt)),
        new("monitoring_at", incident => StoredValues.UnixMs(incident.MonitoringAt)),
        new("resolved_at", incident => StoredValues.UnixMs(incident.ResolvedAt)),
        new("automatic", incident => incident.Automatic),
        new("component_ids", incident => JsonSerializer.Serialize(incident.ComponentIds, Json)),
        new("monitor_ids", incident => JsonSerializer.Serialize(incident.MonitorIds, Json)),
        new("impact_start", incident => StoredValues.UnixMs(incident.ImpactStart)),
        new("impact_end", incident => StoredValues.UnixMs(incident.ImpactEnd)),
        new("verifying_since", incident => StoredValues.UnixMs(incident.VerifyingSince)),
        new("customer_action", incident => incident.CustomerAction),
        new("roles", incident => JsonSerializer.Serialize(
            incident.Roles.ToDictionary(pair => StoredValues.Name(pair.Key), pair => pair.Value), Json)),
        new("maintenance_id", incident => incident.MaintenanceId),
        new("subscribers_notified", incident => incident.SubscribersNotified));

    /// <summary>
    /// Events are never changed once written; a batch that is retried after it was in fact stored skips them
    /// rather than adding them to the timeline twice.
    /// </summary>
    public static readonly RowStatement<IncidentEvent> Append = new(
        "INSERT INTO incident_events (" + EventColumns + """
        )
        VALUES (@id, @incident_id, @kind, @at, @status, @body, @customer_action, @actor, @public,
            @deliver_notifications, @affected_components, @evidence, @notify_subscribers)
        ON CONFLICT (id) DO NOTHING
        """,
        new("id", incidentEvent => incidentEvent.Id),
        new("incident_id", incidentEvent => incidentEvent.IncidentId),
        new("kind", incidentEvent => StoredValues.Name(incidentEvent.Kind)),
        new("at", incidentEvent => StoredValues.UnixMs(incidentEvent.At)),
        new("status", incidentEvent => StoredValues.Name(incidentEvent.Status)),
        new("body", incidentEvent => incidentEvent.Body),
        new("customer_action", incidentEvent => incidentEvent.CustomerAction),
        new("actor", incidentEvent => incidentEvent.Actor),
        new("public", incidentEvent => incidentEvent.Public),
        new("deliver_notifications", incidentEvent => incidentEvent.DeliverNotifications),
        new("affected_components", incidentEvent => incidentEvent.AffectedComponents is { } affected
            ? JsonSerializer.Serialize(affected, Json)
            : null),
        new("evidence", incidentEvent => incidentEvent.Evidence),
        new("notify_subscribers", incidentEvent => incidentEvent.NotifySubscribers));

    /// <summary>Reads the <see cref="IncidentColumns"/>.</summary>
    public static Incident ReadIncident(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        Status = StoredValues.Parse<IncidentStatus>(reader.GetString(2)),
        Impact = StoredValues.Parse<IncidentImpact>(reader.GetString(3)),
        ImpactOverridden = reader.GetBoolean(4),
        CreatedAt = StoredValues.FromUnixMs(reader.GetInt64(5)),
        UpdatedAt = StoredValues.FromUnixMs(reader.GetInt64(6)),
        StartedAt = StoredValues.FromUnixMs(reader.GetInt64(7)),
        MonitoringAt = StoredValues.FromUnixMs(reader.GetNullableInt64(8)),
        ResolvedAt = StoredValues.FromUnixMs(reader.GetNullableInt64(9)),
        Automatic = reader.GetBoolean(10),
        ComponentIds = FromJson<List<string>>(reader.GetString(11)),
        MonitorIds = FromJson<List<string>>(reader.GetString(12)),
        ImpactStart = StoredValues.FromUnixMs(reader.GetNullableInt64(13)),
        ImpactEnd = StoredValues.FromUnixMs(reader.GetNullableInt64(14)),
        VerifyingSince = StoredValues.FromUnixMs(reader.GetNullableInt64(15)),
        CustomerAction = reader.GetNullableString(16),
        Roles = FromJson<Dictionary<string, RoleHolder>>(reader.GetString(17))
            .ToDictionary(pair => StoredValues.Parse<IncidentRole>(pair.Key), pair => pair.Value),
        MaintenanceId = reader.GetNullableString(18),
        SubscribersNotified = reader.GetBoolean(19),
    };

    /// <summary>Reads the <see cref="EventColumns"/>.</summary>
    public static IncidentEvent ReadEvent(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        IncidentId = reader.GetString(1),
        Kind = StoredValues.Parse<IncidentEventKind>(reader.GetString(2)),
        At = StoredValues.FromUnixMs(reader.GetInt64(3)),
        Status = StoredValues.Parse<IncidentStatus>(reader.GetString(4)),
        Body = reader.GetString(5),
        CustomerAction = reader.GetNullableString(6),
        Actor = reader.GetString(7),
        Public = reader.GetBoolean(8),
        DeliverNotifications = reader.GetBoolean(9),
        AffectedComponents = reader.GetNullableString(10) is { } affected ? FromJson<List<AffectedComponent>>(affected) : null,
        Evidence = reader.GetNullableString(11),
        NotifySubscribers = reader.GetBoolean(12),
    };

    private static T FromJson<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Json)
        ?? throw new InvalidDataException($"The store holds JSON null where a {typeof(T).Name} belongs.");
}
