using System.Globalization;
using Candor.Configuration;
using Candor.Incidents;
using Candor.Monitoring;
using Candor.StatusPage.Api;

namespace Candor.Tests.StatusPage;

/// <summary>
/// The imaginary page of the Statuspage examples in shared/statuspage-examples, as a Candor snapshot: the API
/// component of the Core Platform group in partial outage through an identified incident, two older incidents,
/// and a maintenance scheduled for Object Storage.
/// </summary>
public static class AcmeCloud
{
    public const string PageId = "wkq2v6r9xd0b";
    public const string Url = "https://status.acme-cloud.example";
    public const string Api = "p3k8d2fn7w1c";
    public const string Dashboard = "h6t1w9q3z8rb";
    public const string Webhooks = "r2m5x8v1k4nd";
    public const string Storage = "f8b3q6y2j5ms";
    public const string CorePlatform = "Core Platform";

    public static TimeZoneInfo NewYork { get; } = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static PublicSnapshot Snapshot() => new()
    {
        Page = new PublicPage(PageId, "Acme Cloud", new Uri(Url), NewYork, At("2025-06-12T10:24:52.140-04:00")),
        Components =
        [
            Component(1, Api, "API", ComponentStatus.PartialOutage, "2019-03-04T11:20:45.112-05:00", "2025-06-12T10:24:51.907-04:00", CorePlatform, "Public REST API (api.acme-cloud.example)"),
            Component(2, Dashboard, "Web Dashboard", ComponentStatus.Operational, "2019-03-04T11:21:30.662-05:00", "2025-04-02T08:15:09.731-04:00", CorePlatform, "Customer dashboard at app.acme-cloud.example"),
            Component(3, Webhooks, "Webhooks", ComponentStatus.Operational, "2020-11-17T09:05:44.219-05:00", "2025-05-28T16:02:11.380-04:00", null, "Outbound webhook delivery"),
            Component(4, Storage, "Object Storage", ComponentStatus.Operational, "2022-08-01T13:47:02.580-04:00", "2025-03-19T22:01:37.145-04:00", null, null),
        ],
        Incidents = [DashboardLogins(), WebhookDelays(), ApiErrors()],
        Maintenances = [StorageFirmware()],
    };

    public static DateTimeOffset At(string timestamp) => DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture);

    public static PublicComponent Component(
        int position, string id, string name, ComponentStatus status, string createdAt, string updatedAt, string? group, string? description) =>
        new(new ComponentConfig { Id = id, Name = name, Group = group, Description = description }, status, At(createdAt), At(updatedAt), position);

    public static IncidentEvent Update(
        string incidentId,
        string id,
        IncidentStatus status,
        DateTimeOffset at,
        string body,
        IReadOnlyList<AffectedComponent>? affected,
        bool deliver = true) =>
        new()
        {
            Id = id,
            IncidentId = incidentId,
            Kind = IncidentEventKind.Update,
            At = at,
            Status = status,
            Body = body,
            DeliverNotifications = deliver,
            AffectedComponents = affected,
        };

    private static PublicIncident ApiErrors()
    {
        const string id = "x7n2c9v4b1qz";
        var incident = new Incident
        {
            Id = id,
            Name = "Elevated API error rates",
            Status = IncidentStatus.Identified,
            Impact = IncidentImpact.Major,
            CreatedAt = At("2025-06-12T09:58:03.412-04:00"),
            UpdatedAt = At("2025-06-12T10:24:52.113-04:00"),
            StartedAt = At("2025-06-12T09:58:03.401-04:00"),
            ComponentIds = [Api],
        };
        return new PublicIncident(incident, [
            Update(id, "t4v7b3n8x2lj", IncidentStatus.Investigating, At("2025-06-12T09:58:03.497-04:00"),
                "We are investigating elevated 5xx error rates on API requests in us-east.",
                [new(Api, "API", ComponentStatus.Operational, ComponentStatus.DegradedPerformance)]),
            new IncidentEvent
            {
                Id = "internal0001",
                IncidentId = id,
                Kind = IncidentEventKind.RoleAssigned,
                At = At("2025-06-12T10:01:00.000-04:00"),
                Status = IncidentStatus.Investigating,
                Body = "Dana is incident commander.",
                Public = false,
            },
            Update(id, "m1q8z5t2w9kc", IncidentStatus.Identified, At("2025-06-12T10:24:51.880-04:00"),
                "The issue has been identified and a fix is being implemented.",
                [new(Api, "API", ComponentStatus.DegradedPerformance, ComponentStatus.PartialOutage)]),
        ]);
    }

    private static PublicIncident WebhookDelays()
    {
        const string id = "q2w6e9r3t7yb";
        var incident = new Incident
        {
            Id = id,
            Name = "Delayed webhook deliveries",
            Status = IncidentStatus.Resolved,
            Impact = IncidentImpact.Minor,
            CreatedAt = At("2025-05-28T15:31:09.226-04:00"),
            UpdatedAt = At("2025-05-28T16:02:11.425-04:00"),
            StartedAt = At("2025-05-28T15:31:09.210-04:00"),
            MonitoringAt = At("2025-05-28T15:49:40.118-04:00"),
            ResolvedAt = At("2025-05-28T16:02:11.401-04:00"),
            ComponentIds = [Webhooks],
        };
        return new PublicIncident(incident, [
            Update(id, "j1k4l7m0n3qr", IncidentStatus.Investigating, At("2025-05-28T15:31:09.288-04:00"),
                "Webhook deliveries are delayed by up to 10 minutes. We are investigating.",
                [new(Webhooks, "Webhooks", ComponentStatus.Operational, ComponentStatus.DegradedPerformance)]),
            Update(id, "n6p9r2s5u8wz", IncidentStatus.Monitoring, At("2025-05-28T15:49:40.118-04:00"),
                "A fix has been implemented and we are monitoring the results.", null, deliver: false),
            Update(id, "b8c2d5f9g3hj", IncidentStatus.Resolved, At("2025-05-28T16:02:11.401-04:00"),
                "This incident has been resolved.",
                [new(Webhooks, "Webhooks", ComponentStatus.DegradedPerformance, ComponentStatus.Operational)]),
        ]);
    }

    private static PublicIncident DashboardLogins()
    {
        const string id = "z5x1c8v3b6nm";
        var incident = new Incident
        {
            Id = id,
            Name = "Dashboard login failures",
            Status = IncidentStatus.Postmortem,
            Impact = IncidentImpact.Critical,
            CreatedAt = At("2025-01-21T07:14:52.903-05:00"),
            UpdatedAt = At("2025-01-24T11:02:45.617-05:00"),
            StartedAt = At("2025-01-21T07:05:00.000-05:00"),
            MonitoringAt = At("2025-01-21T08:12:05.334-05:00"),
            ResolvedAt = At("2025-01-21T08:40:17.550-05:00"),
            ComponentIds = [Dashboard],
        };
        return new PublicIncident(incident, [
            Update(id, "a4s7d0f3g6hk", IncidentStatus.Investigating, At("2025-01-21T07:14:53.016-05:00"),
                "Customers cannot sign in to the dashboard. We are investigating.",
                [new(Dashboard, "Web Dashboard", ComponentStatus.Operational, ComponentStatus.MajorOutage)]),
            Update(id, "e3r6t9y2u5io", IncidentStatus.Monitoring, At("2025-01-21T08:12:05.334-05:00"),
                "Logins are succeeding again; we are monitoring.",
                [new(Dashboard, "Web Dashboard", ComponentStatus.MajorOutage, ComponentStatus.MajorOutage)]),
            Update(id, "v2b5n8m1q4wx", IncidentStatus.Resolved, At("2025-01-21T08:40:17.550-05:00"),
                "This incident has been resolved. A postmortem will follow.",
                [new(Dashboard, "Web Dashboard", ComponentStatus.MajorOutage, ComponentStatus.Operational)]),
        ]);
    }

    private static PublicMaintenance StorageFirmware() => new()
    {
        Id = "s9d2f6h1k3pw",
        Name = "Object Storage firmware upgrade",
        Status = MaintenanceStatus.Scheduled,
        ScheduledFor = At("2025-06-15T02:00:00.000-04:00"),
        ScheduledUntil = At("2025-06-15T04:00:00.000-04:00"),
        CreatedAt = At("2025-06-10T14:12:27.655-04:00"),
        UpdatedAt = At("2025-06-10T14:12:27.702-04:00"),
        StartedAt = At("2025-06-10T14:12:27.640-04:00"),
        ComponentIds = [Storage],
        Updates =
        [
            new MaintenanceUpdate
            {
                Id = "g5j8k2l6p9qe",
                Status = MaintenanceStatus.Scheduled,
                At = At("2025-06-10T14:12:27.690-04:00"),
                Body = "We will upgrade storage node firmware. Uploads may be slower than usual & some requests may be retried during the window.",
                DeliverNotifications = true,
                AffectedComponents = [new(Storage, "Object Storage", ComponentStatus.Operational, ComponentStatus.Operational)],
            },
        ],
    };
}
