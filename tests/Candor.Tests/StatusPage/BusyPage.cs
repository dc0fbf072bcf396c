using Candor.Configuration;
using Candor.Incidents;
using Candor.Monitoring;
using Candor.StatusPage.Api;

namespace Candor.Tests.StatusPage;

/// <summary>
/// A page with more of everything than the examples: a UTC page, two groups whose members are configured apart,
/// more than 50 incidents and maintenances of every status and impact, internal timeline entries, updates
/// without components, and text that needs escaping.
/// </summary>
public static class BusyPage
{
    public const string PageId = "b7q2m9x4k1zd";
    public const int IncidentCount = 60;
    public const int MaintenanceCount = 55;

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static PublicSnapshot Snapshot(TimeZoneInfo? zone = null) => new()
    {
        Page = new PublicPage(
            PageId, "Busy <Page> & \"Co\"", new Uri("https://status.busy.example/"), zone ?? TimeZoneInfo.FindSystemTimeZoneById("Etc/UTC"), Start.AddDays(30)),
        Components =
        [
            Component(1, "edge-eu", "Europe", ComponentStatus.Operational, "Edge"),
            Component(2, "site", "Site — “www”", ComponentStatus.DegradedPerformance, null),
            Component(3, "edge-us", "America", ComponentStatus.MajorOutage, "Edge"),
            Component(4, "db", "Database", ComponentStatus.UnderMaintenance, "Data"),
            Component(5, "mail", "Mail", ComponentStatus.Operational, null),
        ],
        Incidents = [.. Enumerable.Range(0, IncidentCount).Select(Incident)],
        Maintenances = [.. Enumerable.Range(0, MaintenanceCount).Select(Maintenance)],
    };

    public static string IncidentId(int i) => $"inc{i:000000000}";

    public static string MaintenanceId(int i) => $"mnt{i:000000000}";

    private static PublicComponent Component(int position, string id, string name, ComponentStatus status, string? group) =>
        new(
            new ComponentConfig { Id = id, Name = name, Group = group, Description = position % 2 == 0 ? "<b>line one\nline two</b>" : null },
            status,
            Start.AddDays(-position),
            Start.AddHours(position),
            position);

    private static PublicIncident Incident(int i)
    {
        var id = IncidentId(i);
        var status = (IncidentStatus)(i % 5);
        var created = Start.AddHours(i);
        var incident = new Incident
        {
            Id = id,
            Name = $"Incident {i} <with> & \"quotes\"",
            Status = status,
            Impact = (IncidentImpact)(i % 4),
            CreatedAt = created,
            UpdatedAt = created.AddMinutes(30),
            StartedAt = created.AddMinutes(-5),
            MonitoringAt = status >= IncidentStatus.Monitoring ? created.AddMinutes(20) : null,
            ResolvedAt = status >= IncidentStatus.Resolved ? created.AddMinutes(30) : null,
            ComponentIds = i % 3 == 0 ? [] : ["edge-us", "site", "gone"],
        };
        return new PublicIncident(incident, [
            AcmeCloud.Update(id, $"upd{i:000000000}", IncidentStatus.Investigating, created, "First\n\nsecond paragraph\u2028", [
                new("edge-us", "America", ComponentStatus.Operational, ComponentStatus.MajorOutage),
                new("gone", "Removed component", ComponentStatus.Operational, ComponentStatus.PartialOutage),
            ]),
            new IncidentEvent
            {
                Id = $"int{i:000000000}",
                IncidentId = id,
                Kind = IncidentEventKind.RoleAssigned,
                At = created.AddMinutes(1),
                Status = IncidentStatus.Investigating,
                Body = "internal",
                Public = false,
            },
            AcmeCloud.Update(id, $"upe{i:000000000}", status, created.AddMinutes(30), "Later \u001f", [], deliver: false),
        ]);
    }

    private static PublicMaintenance Maintenance(int i)
    {
        var created = Start.AddHours(i).AddMinutes(7);
        var status = (MaintenanceStatus)(i % 4);
        return new PublicMaintenance
        {
            Id = MaintenanceId(i),
            Name = $"Window {i}",
            Status = status,
            Impact = (MaintenanceImpact)(i % 5),
            ScheduledFor = created.AddDays(2),
            ScheduledUntil = created.AddDays(2).AddHours(2),
            CreatedAt = created,
            UpdatedAt = created.AddMinutes(1),
            StartedAt = created,
            MonitoringAt = status >= MaintenanceStatus.Verifying ? created.AddDays(2).AddHours(2) : null,
            ResolvedAt = status == MaintenanceStatus.Completed ? created.AddDays(2).AddHours(3) : null,
            ComponentIds = ["db"],
            Updates =
            [
                new MaintenanceUpdate { Id = $"mup{i:000000000}", Status = MaintenanceStatus.Scheduled, At = created, Body = "Planned" },
                new MaintenanceUpdate
                {
                    Id = $"muq{i:000000000}",
                    Status = status,
                    At = created.AddMinutes(1),
                    Body = "Now",
                    DeliverNotifications = true,
                    AffectedComponents = [new("db", "Database", ComponentStatus.Operational, ComponentStatus.UnderMaintenance)],
                },
            ],
        };
    }
}
