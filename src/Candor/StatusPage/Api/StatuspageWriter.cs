using System.Buffers;
using System.Text.Json;
using Candor.Incidents;
using Candor.Monitoring;

namespace Candor.StatusPage.Api;

/// <summary>
/// Renders the Statuspage API v2 documents of one snapshot as compact UTF-8 JSON, byte-shaped like Statuspage's
/// own: every key present in its fixed order, absent values as <c>null</c>, Rails' string escaping and
/// timestamps in the page's time zone. The layout and selections are worked out once, for all eight documents.
/// </summary>
public sealed class StatuspageWriter
{
    /// <summary>Statuspage serves no more than this many incidents or maintenances; there is no paging.</summary>
    public const int HistoryLimit = 50;

    private readonly PublicPage _page;
    private readonly string _url;
    private readonly PageClock _clock;
    private readonly ComponentLayout _components;
    private readonly PageStatus _status;
    private readonly IReadOnlyList<PublicIncident> _unresolvedIncidents;
    private readonly IReadOnlyList<PublicIncident> _recentIncidents;
    private readonly IReadOnlyList<PublicMaintenance> _recentMaintenances;
    private readonly IReadOnlyList<PublicMaintenance> _maintenances;

    public StatuspageWriter(PublicSnapshot snapshot)
    {
        _page = snapshot.Page;
        _url = snapshot.Page.Url.AbsoluteUri.TrimEnd('/');
        _clock = new PageClock(snapshot.Page.TimeZone);
        _components = new ComponentLayout(snapshot.Components);
        _status = PageRollup.Of(_components.LeafStatuses);

        // Every list is newest first; Statuspage documents no order for the unresolved and upcoming ones.
        var incidents = snapshot.Incidents.OrderByDescending(i => i.Incident.CreatedAt).ToList();
        _unresolvedIncidents = [.. incidents.Where(i => i.Incident.IsOpen)];
        _recentIncidents = [.. incidents.Take(HistoryLimit)];
        _maintenances = [.. snapshot.Maintenances.OrderByDescending(m => m.CreatedAt)];
        _recentMaintenances = [.. _maintenances.Take(HistoryLimit)];
    }

    public byte[] Render(StatuspageDocument document)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WritePage(json);
            switch (document)
            {
                case StatuspageDocument.Summary:
                    WriteComponents(json);
                    WriteIncidents(json, _unresolvedIncidents);
                    WriteMaintenances(json, _maintenances.Where(m => m.Status is not MaintenanceStatus.Completed));
                    WriteStatus(json);
                    break;
                case StatuspageDocument.Status:
                    WriteStatus(json);
                    break;
                case StatuspageDocument.Components:
                    WriteComponents(json);
                    break;
                case StatuspageDocument.UnresolvedIncidents:
                    WriteIncidents(json, _unresolvedIncidents);
                    break;
                case StatuspageDocument.Incidents:
                    WriteIncidents(json, _recentIncidents);
                    break;
                case StatuspageDocument.UpcomingMaintenances:
                    WriteMaintenances(json, _maintenances.Where(m => m.Status is MaintenanceStatus.Scheduled));
                    break;
                case StatuspageDocument.ActiveMaintenances:
                    WriteMaintenances(
                        json, _maintenances.Where(m => m.Status is MaintenanceStatus.InProgress or MaintenanceStatus.Verifying));
                    break;
                case StatuspageDocument.Maintenances:
                    WriteMaintenances(json, _recentMaintenances);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(document), document, null);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WritePage(Utf8JsonWriter json)
    {
        json.WriteStartObject("page"u8);
        RailsJsonText.WriteString(json, "id"u8, _page.Id);
        RailsJsonText.WriteString(json, "name"u8, _page.Name);
        RailsJsonText.WriteString(json, "url"u8, _url);
        RailsJsonText.WriteString(json, "time_zone"u8, _page.TimeZone.Id);
        WriteTime(json, "updated_at"u8, _page.UpdatedAt);
        json.WriteEndObject();
    }

    private void WriteStatus(Utf8JsonWriter json)
    {
        json.WriteStartObject("status"u8);
        RailsJsonText.WriteString(json, "indicator"u8, Wire(_status.Indicator));
        RailsJsonText.WriteString(json, "description"u8, _status.Description);
        json.WriteEndObject();
    }

    private void WriteComponents(Utf8JsonWriter json)
    {
        json.WriteStartArray("components"u8);
        foreach (var component in _components.Ordered)
        {
            WriteComponent(json, component);
        }

        json.WriteEndArray();
    }

    private void WriteComponent(Utf8JsonWriter json, ComponentRecord component)
    {
        json.WriteStartObject();
        RailsJsonText.WriteString(json, "id"u8, component.Id);
        RailsJsonText.WriteString(json, "name"u8, component.Name);
        RailsJsonText.WriteString(json, "status"u8, Wire(component.Status));
        WriteTime(json, "created_at"u8, component.CreatedAt);
        WriteTime(json, "updated_at"u8, component.UpdatedAt);
        json.WriteNumber("position"u8, component.Position);
        RailsJsonText.WriteString(json, "description"u8, component.Description);

        // Candor draws an uptime bar for every component; a group header has none of its own.
        json.WriteBoolean("showcase"u8, !component.IsGroup);
        RailsJsonText.WriteString(json, "start_date"u8, component.IsGroup ? null : _clock.Date(component.CreatedAt));
        RailsJsonText.WriteString(json, "group_id"u8, component.GroupId);
        RailsJsonText.WriteString(json, "page_id"u8, _page.Id);
        json.WriteBoolean("group"u8, component.IsGroup);
        json.WriteBoolean("only_show_if_degraded"u8, false);
        if (component.Children is { } children)
        {
            json.WriteStartArray("components"u8);
            foreach (var child in children)
            {
                json.WriteRawValue(RailsJsonText.Quote(child), skipInputValidation: true);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// A webhook's body as Statuspage sends it (meta, the page with its status, the incident) with Candor's own
    /// facts about the event under <c>candor</c>: which update it is, the impact window and the customer action.
    /// </summary>
    public byte[] RenderIncidentWebhook(PublicIncident incident, WebhookFacts facts)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("meta"u8);
            RailsJsonText.WriteString(json, "unsubscribe"u8, facts.Unsubscribe);
            RailsJsonText.WriteString(json, "documentation"u8, null);
            WriteTime(json, "generated_at"u8, facts.GeneratedAt);
            json.WriteEndObject();
            json.WriteStartObject("page"u8);
            RailsJsonText.WriteString(json, "id"u8, _page.Id);
            RailsJsonText.WriteString(json, "status_indicator"u8, Wire(_status.Indicator));
            RailsJsonText.WriteString(json, "status_description"u8, _status.Description);
            json.WriteEndObject();
            json.WritePropertyName("incident"u8);
            WriteIncident(json, incident);
            json.WriteStartObject("candor"u8);
            RailsJsonText.WriteString(json, "delivery_id"u8, facts.DeliveryId);
            RailsJsonText.WriteString(json, "event_id"u8, facts.EventId);
            RailsJsonText.WriteString(json, "event"u8, facts.Event);
            RailsJsonText.WriteString(json, "customer_action"u8, facts.CustomerAction);
            WriteTime(json, "impact_start"u8, facts.ImpactStart);
            WriteTime(json, "impact_end"u8, facts.ImpactEnd);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteIncidents(Utf8JsonWriter json, IEnumerable<PublicIncident> incidents)
    {
        json.WriteStartArray("incidents"u8);
        foreach (var incident in incidents)
        {
            WriteIncident(json, incident);
        }

        json.WriteEndArray();
    }

    private void WriteIncident(Utf8JsonWriter json, PublicIncident published)
    {
        var (incident, timeline) = published;
        json.WriteStartObject();
        WriteHead(
            json,
            incident.Id,
            incident.Name,
            Wire(incident.Status),
            incident.CreatedAt,
            incident.UpdatedAt,
            incident.MonitoringAt,
            incident.ResolvedAt,
            Wire(incident.Impact),
            incident.StartedAt);

        json.WriteStartArray("incident_updates"u8);

        // Reversed first so that entries made in the same millisecond also come out newest first.
        foreach (var update in timeline.Where(e => e.Public).Reverse().OrderByDescending(e => e.At))
        {
            WriteUpdate(
                json, update.Id, Wire(update.Status), update.Body, incident.Id, update.At, update.AffectedComponents, update.DeliverNotifications);
        }

        json.WriteEndArray();
        WriteAttachedComponents(json, incident.ComponentIds);
        json.WriteNull("reminder_intervals"u8);
        json.WriteEndObject();
    }

    private void WriteMaintenances(Utf8JsonWriter json, IEnumerable<PublicMaintenance> maintenances)
    {
        json.WriteStartArray("scheduled_maintenances"u8);
        foreach (var maintenance in maintenances)
        {
            json.WriteStartObject();
            WriteHead(
                json,
                maintenance.Id,
                maintenance.Name,
                Wire(maintenance.Status),
                maintenance.CreatedAt,
                maintenance.UpdatedAt,
                maintenance.MonitoringAt,
                maintenance.ResolvedAt,
                Wire(maintenance.Impact),
                maintenance.StartedAt);

            json.WriteStartArray("incident_updates"u8);
            foreach (var update in maintenance.Updates.Reverse().OrderByDescending(u => u.At))
            {
                WriteUpdate(
                    json, update.Id, Wire(update.Status), update.Body, maintenance.Id, update.At, update.AffectedComponents, update.DeliverNotifications);
            }

            json.WriteEndArray();
            WriteAttachedComponents(json, maintenance.ComponentIds);
            WriteTime(json, "scheduled_for"u8, maintenance.ScheduledFor);
            WriteTime(json, "scheduled_until"u8, maintenance.ScheduledUntil);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The keys incidents and maintenances share, up to their updates.</summary>
    private void WriteHead(
        Utf8JsonWriter json,
        string id,
        string name,
        string status,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        DateTimeOffset? monitoringAt,
        DateTimeOffset? resolvedAt,
        string impact,
        DateTimeOffset startedAt)
    {
        RailsJsonText.WriteString(json, "id"u8, id);
        RailsJsonText.WriteString(json, "name"u8, name);
        RailsJsonText.WriteString(json, "status"u8, status);
        WriteTime(json, "created_at"u8, createdAt);
        WriteTime(json, "updated_at"u8, updatedAt);
        WriteTime(json, "monitoring_at"u8, monitoringAt);
        WriteTime(json, "resolved_at"u8, resolvedAt);
        RailsJsonText.WriteString(json, "impact"u8, impact);

        // Candor mints no short links of its own: the incident's page is the link, absolute as clients require.
        RailsJsonText.WriteString(json, "shortlink"u8, $"{_url}/incidents/{Uri.EscapeDataString(id)}");
        WriteTime(json, "started_at"u8, startedAt);
        RailsJsonText.WriteString(json, "page_id"u8, _page.Id);
    }

    /// <summary>
    /// One entry of <c>incident_updates</c>. Candor does not edit or back-date updates, so one instant is its
    /// creation, its last change and the time shown.
    /// </summary>
    private void WriteUpdate(
        Utf8JsonWriter json,
        string id,
        string status,
        string body,
        string parentId,
        DateTimeOffset at,
        IReadOnlyList<AffectedComponent>? affected,
        bool deliverNotifications)
    {
        json.WriteStartObject();
        RailsJsonText.WriteString(json, "id"u8, id);
        RailsJsonText.WriteString(json, "status"u8, status);
        RailsJsonText.WriteString(json, "body"u8, body);
        RailsJsonText.WriteString(json, "incident_id"u8, parentId);
        WriteTime(json, "created_at"u8, at);
        WriteTime(json, "updated_at"u8, at);
        WriteTime(json, "display_at"u8, at);
        if (affected is null or { Count: 0 })
        {
            json.WriteNull("affected_components"u8);
        }
        else
        {
            json.WriteStartArray("affected_components"u8);
            foreach (var component in affected)
            {
                json.WriteStartObject();
                RailsJsonText.WriteString(json, "code"u8, component.ComponentId);
                RailsJsonText.WriteString(json, "name"u8, _components.QualifiedName(component.ComponentId) ?? component.Name);
                RailsJsonText.WriteString(json, "old_status"u8, Wire(component.OldStatus));
                RailsJsonText.WriteString(json, "new_status"u8, Wire(component.NewStatus));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteBoolean("deliver_notifications"u8, deliverNotifications);
        json.WriteNull("custom_tweet"u8);
        json.WriteNull("tweet_id"u8);
        json.WriteEndObject();
    }

    /// <summary>The components an incident or maintenance is about, as they are now.</summary>
    private void WriteAttachedComponents(Utf8JsonWriter json, IEnumerable<string> ids)
    {
        json.WriteStartArray("components"u8);
        foreach (var component in _components.Select(ids))
        {
            WriteComponent(json, component);
        }

        json.WriteEndArray();
    }

    private void WriteTime(Utf8JsonWriter json, ReadOnlySpan<byte> name, DateTimeOffset? value) =>
        RailsJsonText.WriteString(json, name, value is { } at ? _clock.Timestamp(at) : null);

    // The wire names are spelled out rather than derived from the enum names, so that renaming or adding a
    // member cannot put a value on the wire that Statuspage clients do not know.
    private static string Wire(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "operational",
        ComponentStatus.DegradedPerformance => "degraded_performance",
        ComponentStatus.PartialOutage => "partial_outage",
        ComponentStatus.MajorOutage => "major_outage",
        ComponentStatus.UnderMaintenance => "under_maintenance",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static string Wire(IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => "investigating",
        IncidentStatus.Identified => "identified",
        IncidentStatus.Monitoring => "monitoring",
        IncidentStatus.Resolved => "resolved",
        IncidentStatus.Postmortem => "postmortem",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static string Wire(IncidentImpact impact) => impact switch
    {
        IncidentImpact.None => "none",
        IncidentImpact.Minor => "minor",
        IncidentImpact.Major => "major",
        IncidentImpact.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(impact), impact, null),
    };

    private static string Wire(MaintenanceStatus status) => status switch
    {
        MaintenanceStatus.Scheduled => "scheduled",
        MaintenanceStatus.InProgress => "in_progress",
        MaintenanceStatus.Verifying => "verifying",
        MaintenanceStatus.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static string Wire(MaintenanceImpact impact) => impact switch
    {
        MaintenanceImpact.Maintenance => "maintenance",
        MaintenanceImpact.None => "none",
        MaintenanceImpact.Minor => "minor",
        MaintenanceImpact.Major => "major",
        MaintenanceImpact.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(impact), impact, null),
    };

    private static string Wire(PageIndicator indicator) => indicator switch
    {
        PageIndicator.None => "none",
        PageIndicator.Minor => "minor",
        PageIndicator.Major => "major",
        PageIndicator.Critical => "critical",
        PageIndicator.Maintenance => "maintenance",
        _ => throw new ArgumentOutOfRangeException(nameof(indicator), indicator, null),
    };
}

/// <summary>What a webhook says about the event that caused it, beside the incident itself.</summary>
/// <param name="Event">opened, update, monitoring, regressed or resolved.</param>
public sealed record WebhookFacts(
    string DeliveryId,
    string EventId,
    string Event,
    string? CustomerAction,
    DateTimeOffset? ImpactStart,
    DateTimeOffset? ImpactEnd,
    string? Unsubscribe,
    DateTimeOffset GeneratedAt);
