using System.Data.Common;
using Candor.Incidents;
using Candor.Monitoring;
using Candor.Storage;

namespace Candor.Tests.Storage;

/// <summary>Incidents and their timelines, component records, API tokens and the audit log.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task An_incident_reads_back_whole_and_a_save_replaces_it_whole()
    {
        var local = new DateTimeOffset(2026, 11, 1, 14, 0, 0, 123, TimeSpan.FromHours(2));
        var full = new Incident
        {
            Id = "inc-full",
            Name = "Checkout is down",
            Status = IncidentStatus.Resolved,
            Impact = IncidentImpact.Critical,
            ImpactOverridden = true,
            CreatedAt = local,
            UpdatedAt = local.AddMinutes(40),
            StartedAt = local.AddMinutes(-2),
            MonitoringAt = local.AddMinutes(20),
            ResolvedAt = local.AddMinutes(40),
            Automatic = true,
            ComponentIds = ["web", "api"],
            MonitorIds = ["web-http", "api-tcp", "web-dns"],
            ImpactStart = local.AddMinutes(-2).AddMilliseconds(7),
            ImpactEnd = local.AddMinutes(19),
            VerifyingSince = local.AddMinutes(20),
            CustomerAction = "Retry payments that failed between 12:00 and 12:20.",
            Roles = new Dictionary<IncidentRole, RoleHolder>
            {
                [IncidentRole.IncidentCommander] = new("Ana", "ana@example.com"),
                [IncidentRole.CommunicationsLead] = new("Bo", null),
                [IncidentRole.OperationsLead] = new("Cy", "+44 20 7946 0000"),
            },
        };
        var bare = NewIncident("inc-bare", T0);
        await Store.SaveIncidentChangesAsync(new([full, bare], []), Ct);

        var read = await Store.GetIncidentAsync("inc-full", Ct);

        AssertSameIncident(full, read);
        Assert.Equal(TimeSpan.Zero, read!.CreatedAt.Offset);
        AssertSameIncident(bare, await Store.GetIncidentAsync("inc-bare", Ct));
        Assert.Null(await Store.GetIncidentAsync("inc-unknown", Ct));

        var replaced = full with
        {
            Name = "Checkout is slow",
            Status = IncidentStatus.Investigating,
            Impact = IncidentImpact.Minor,
            ImpactOverridden = false,
            UpdatedAt = local.AddMinutes(50),
            MonitoringAt = null,
            ResolvedAt = null,
            Automatic = false,
            ComponentIds = ["web"],
            MonitorIds = [],
            ImpactEnd = null,
            VerifyingSince = null,
            CustomerAction = null,
            Roles = new Dictionary<IncidentRole, RoleHolder> { [IncidentRole.OperationsLead] = new("Di", null) },
        };
        await Store.SaveIncidentChangesAsync(new([full with { Name = "an older version" }, replaced], []), Ct);

        AssertSameIncident(replaced, await Store.GetIncidentAsync("inc-full", Ct));
    }

    [Fact]
    public async Task A_timeline_reads_back_in_time_order_and_events_of_one_instant_in_the_order_written()
    {
        var incident = NewIncident("inc-1", T0);
        var affected = NewEvent("z-update", "inc-1", T0.AddMinutes(5)) with
        {
            Kind = IncidentEventKind.Update,
            Status = IncidentStatus.Identified,
            Body = "We found the **cause**.",
            CustomerAction = "Sign in again.",
            Actor = "ana",
            Public = true,
            DeliverNotifications = true,
            AffectedComponents =
            [
                new("web", "Website", ComponentStatus.Operational, ComponentStatus.MajorOutage),
                new("api", "API", ComponentStatus.DegradedPerformance, ComponentStatus.PartialOutage),
            ],
            Evidence = """{"monitors":["web-http"]}""",
        };
        var opened = NewEvent("m-opened", "inc-1", T0) with { Kind = IncidentEventKind.Opened };
        var commander = NewEvent("c-role", "inc-1", T0) with { Kind = IncidentEventKind.RoleAssigned, Public = false };
        var joined = NewEvent("a-joined", "inc-1", T0) with { Kind = IncidentEventKind.ComponentsJoined };
        var earlier = NewEvent("b-earlier", "inc-1", T0.AddSeconds(-1)) with { Kind = IncidentEventKind.Transition };
        await Store.SaveIncidentChangesAsync(new([incident], [opened, commander, affected]), Ct);
        await Store.SaveIncidentChangesAsync(
            new([], [joined, earlier, NewEvent("other", "inc-2", T0), opened with { Body = "written again" }]), Ct);

        var timeline = await Store.GetIncidentEventsAsync("inc-1", Ct);

        Assert.Equal(["b-earlier", "m-opened", "c-role", "a-joined", "z-update"], timeline.Select(e => e.Id));
        AssertSameEvent(affected, timeline[^1]);
        Assert.Equal(opened, timeline[1]);
        Assert.Equal(commander, timeline[2]);
        Assert.Empty(await Store.GetIncidentEventsAsync("inc-unknown", Ct));
    }

    [Fact]
    public async Task Open_incidents_and_recent_incidents_come_newest_first()
    {
        await Store.SaveIncidentChangesAsync(
            new(
                [
                    NewIncident("investigating", T0.AddMinutes(1)),
                    NewIncident("resolved", T0.AddMinutes(5)) with { Status = IncidentStatus.Resolved },
                    NewIncident("monitoring", T0.AddMinutes(3)) with { Status = IncidentStatus.Monitoring },
                    NewIncident("postmortem", T0) with { Status = IncidentStatus.Postmortem },
                    NewIncident("identified", T0.AddMinutes(4)) with { Status = IncidentStatus.Identified },
                ],
                []),
            Ct);

        var open = await Store.GetOpenIncidentsAsync(Ct);
        var recent = await Store.GetRecentIncidentsAsync(4, Ct);

        Assert.Equal(["identified", "monitoring", "investigating"], open.Select(incident => incident.Id));
        Assert.Equal(["resolved", "identified", "monitoring", "investigating"], recent.Select(incident => incident.Id));
        Assert.Equal(5, (await Store.GetRecentIncidentsAsync(100, Ct)).Count);
        Assert.Empty(await Store.GetRecentIncidentsAsync(0, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetRecentIncidentsAsync(-1, Ct));
    }

    [Fact]
    public async Task A_batch_stores_its_incident_changes_with_its_results_once_however_often_it_is_retried()
    {
        var failed = Result("web", "local", T0, Outcome.Down);
        var incident = NewIncident("inc-1", T0) with { ComponentIds = ["web"], MonitorIds = ["web"] };
        var batch = Batch(failed) with
        {
            Incidents = new([incident], [NewEvent("opened", "inc-1", T0), NewEvent("role", "inc-1", T0)]),
        };

        await Store.SaveBatchAsync(batch, Ct);
        await Store.SaveBatchAsync(batch, Ct);

        Assert.Equal([failed], await Store.GetResultsAsync("web", T0, T0.AddHours(1), 100, Ct));
        Assert.Equal(1, Assert.Single(await MinutesAsync(Store, "web", T0, T0.AddHours(1), Ct)).Count);
        AssertSameIncident(incident, await Store.GetIncidentAsync("inc-1", Ct));
        Assert.Equal(["opened", "role"], (await Store.GetIncidentEventsAsync("inc-1", Ct)).Select(e => e.Id));

        // A batch can carry nothing but the engine's decision, e.g. a timer-driven transition.
        var monitoring = incident with { Status = IncidentStatus.Monitoring, MonitoringAt = T0.AddMinutes(2) };
        await Store.SaveBatchAsync(new ResultBatch([], [], []) { Incidents = new([monitoring], []) }, Ct);

        AssertSameIncident(monitoring, await Store.GetIncidentAsync("inc-1", Ct));
    }

    [Fact]
    public async Task A_batch_whose_incident_changes_fail_stores_none_of_its_results()
    {
        var failed = Result("web", "local", T0, Outcome.Down);
        var component = new ComponentStatusChange("web", ComponentStatus.Operational, ComponentStatus.MajorOutage, T0);

        // A null name breaks a NOT NULL column: the incident write fails after the results were written.
        var broken = NewIncident("inc-1", T0) with { Name = null! };
        var batch = new ResultBatch([failed], [], [component])
        {
            Incidents = new([broken], [NewEvent("opened", "inc-1", T0)]),
        };

        await Assert.ThrowsAnyAsync<DbException>(() => Store.SaveBatchAsync(batch, Ct));

        Assert.Null(await Store.GetResultAsync(failed.Id, Ct));
        Assert.Empty(await MinutesAsync(Store, "web", T0, T0.AddHours(1), Ct));
        Assert.Empty(await Store.GetComponentStatesAsync(Ct));
        Assert.Empty(await Store.GetIncidentEventsAsync("inc-1", Ct));
    }

    [Fact]
    public async Task Component_sync_keeps_the_first_seen_time()
    {
        var first = await Store.SyncComponentsAsync(["web", "mail"], T0, Ct);
        var again = await Store.SyncComponentsAsync(["mail", "db", "mail"], T0.AddHours(1), Ct);

        Assert.Equal([new("web", T0), new("mail", T0)], first);
        Assert.Equal([new("mail", T0), new("db", T0.AddHours(1)), new("mail", T0)], again);
        Assert.Empty(await Store.SyncComponentsAsync([], T0, Ct));
    }

    [Fact]
    public async Task Tokens_are_found_by_hash_listed_and_revoked_by_name()
    {
        var ci = new ApiToken("tok-1", "ci", ApiRole.Responder, "hash-1", T0, null);
        var ciAgain = new ApiToken("tok-2", "ci", ApiRole.Viewer, "hash-2", T0.AddMinutes(1), null);
        var admin = new ApiToken("tok-3", "ana", ApiRole.Admin, "hash-3", T0.AddMinutes(2), null);
        var old = new ApiToken("tok-4", "ci", ApiRole.Admin, "hash-4", T0.AddMinutes(-5), T0.AddMinutes(-1));
        foreach (var token in new[] { admin, ci, old, ciAgain })
        {
            await Store.SaveApiTokenAsync(token, Ct);
        }

        Assert.Equal(admin, await Store.FindApiTokenAsync("hash-3", Ct));
        Assert.Equal(old, await Store.FindApiTokenAsync("hash-4", Ct));
        Assert.Null(await Store.FindApiTokenAsync("hash-unknown", Ct));
        Assert.Equal([old, ci, ciAgain, admin], await Store.GetApiTokensAsync(Ct));

        var revoked = await Store.RevokeApiTokenAsync("ci", T0.AddHours(1), Ct);

        Assert.True(revoked);
        Assert.False(await Store.RevokeApiTokenAsync("ci", T0.AddHours(2), Ct));
        Assert.False(await Store.RevokeApiTokenAsync("nobody", T0.AddHours(2), Ct));
        Assert.Equal(
            [old, ci with { RevokedAt = T0.AddHours(1) }, ciAgain with { RevokedAt = T0.AddHours(1) }, admin],
            await Store.GetApiTokensAsync(Ct));
        Assert.Equal(ci with { RevokedAt = T0.AddHours(1) }, await Store.FindApiTokenAsync("hash-1", Ct));
    }

    [Fact]
    public async Task The_audit_log_reads_newest_first_up_to_the_limit()
    {
        var first = new AuditEntry(T0, "ana", "POST", "/api/v1/incidents", 201, "inc-1");
        var sameInstant = new AuditEntry(T0.AddSeconds(5), "ana", "PATCH", "/api/v1/incidents/{id}", 200, "inc-1");
        var latest = new AuditEntry(T0.AddSeconds(5), "ci", "POST", "/api/v1/tokens", 403, null);
        var earlier = new AuditEntry(T0.AddSeconds(-5), "bo", "GET", "/api/v1/audit", 200, null);
        foreach (var entry in new[] { first, sameInstant, latest, earlier })
        {
            await Store.AppendAuditAsync(entry, Ct);
        }

        Assert.Equal([latest, sameInstant, first], await Store.GetAuditAsync(3, Ct));
        Assert.Equal([latest, sameInstant, first, earlier], await Store.GetAuditAsync(100, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.GetAuditAsync(-1, Ct));
    }

    protected static Incident NewIncident(string id, DateTimeOffset createdAt) => new()
    {
        Id = id,
        Name = $"Incident {id}",
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        StartedAt = createdAt,
    };

    protected static IncidentEvent NewEvent(string id, string incidentId, DateTimeOffset at) => new()
    {
        Id = id,
        IncidentId = incidentId,
        Kind = IncidentEventKind.Update,
        At = at,
        Status = IncidentStatus.Investigating,
        Body = $"Event {id}.",
    };

    /// <summary>Records compare lists and dictionaries by reference, so those are compared by content here.</summary>
    private static void AssertSameIncident(Incident expected, Incident? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ComponentIds, actual.ComponentIds);
        Assert.Equal(expected.MonitorIds, actual.MonitorIds);
        Assert.Equal(expected.Roles.OrderBy(pair => pair.Key), actual.Roles.OrderBy(pair => pair.Key));
        Assert.Equal(
            expected,
            actual with { ComponentIds = expected.ComponentIds, MonitorIds = expected.MonitorIds, Roles = expected.Roles });
    }

    private static void AssertSameEvent(IncidentEvent expected, IncidentEvent actual)
    {
        Assert.Equal(expected.AffectedComponents, actual.AffectedComponents);
        Assert.Equal(expected, actual with { AffectedComponents = expected.AffectedComponents });
    }
}
