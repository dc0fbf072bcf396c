using System.Text;
using System.Text.Json;
using Candor.Incidents;
using Candor.Monitoring;
using Candor.StatusPage.Api;

namespace Candor.Tests.StatusPage;

/// <summary>The rules of the specification that the examples do not show.</summary>
public class WriterRulesTests
{
    [Fact]
    public void Text_is_escaped_as_Rails_escapes_it()
    {
        var quoted = Encoding.UTF8.GetString(RailsJsonText.Quote("a<b>&\"c\"\\ /\n\t\r\b\f\u0001\u001f\u007f\u2028\u2029 “é” 😀"));

        Assert.Equal("\"a\\u003cb\\u003e\\u0026\\\"c\\\"\\\\ /\\n\\t\\r\\b\\f\\u0001\\u001f\u007f\\u2028\\u2029 “é” 😀\"", quoted);
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character()
    {
        Assert.Equal("\"a\uFFFDb\"", Encoding.UTF8.GetString(RailsJsonText.Quote("a\uD800b")));
    }

    [Theory]
    [InlineData("Etc/UTC", "2026-01-15T08:15:33.297Z")]
    [InlineData("UTC", "2026-01-15T08:15:33.297Z")]
    [InlineData("Europe/London", "2026-01-15T08:15:33.297+00:00")]
    [InlineData("America/New_York", "2026-01-15T03:15:33.297-05:00")]
    [InlineData("Asia/Kolkata", "2026-01-15T13:45:33.297+05:30")]
    public void Timestamps_are_in_the_page_zone_with_three_digits(string zone, string expected)
    {
        var clock = new PageClock(TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal(expected, clock.Timestamp(new DateTimeOffset(2026, 1, 15, 8, 15, 33, 297, TimeSpan.Zero)));
    }

    [Fact]
    public void The_offset_follows_daylight_saving_time_per_value_and_whole_seconds_keep_their_digits()
    {
        var clock = new PageClock(AcmeCloud.NewYork);

        Assert.Equal("2025-07-17T16:00:00.000-04:00", clock.Timestamp(new DateTimeOffset(2025, 7, 17, 20, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2025-12-17T15:00:00.000-05:00", clock.Timestamp(new DateTimeOffset(2025, 12, 17, 20, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2025-12-17", clock.Date(new DateTimeOffset(2025, 12, 18, 3, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_positive_offset_is_written_raw_in_the_document()
    {
        var json = Render(BusyPage.Snapshot(TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata")), StatuspageDocument.Status);

        Assert.Contains("\"updated_at\":\"2026-03-31T05:30:00.000+05:30\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_id_is_twelve_letters_or_digits_and_the_same_for_the_same_name()
    {
        var edge = StatuspageIds.GroupId("Edge");

        Assert.Matches("^[a-z0-9]{12}$", edge);
        Assert.Equal(edge, StatuspageIds.GroupId("Edge"));
        Assert.NotEqual(edge, StatuspageIds.GroupId("edge"));
    }

    [Fact]
    public void Groups_sit_where_their_first_member_is_configured_and_number_their_members_from_one()
    {
        using var json = Parse(BusyPage.Snapshot(), StatuspageDocument.Components);
        var components = json.RootElement.GetProperty("components").EnumerateArray().ToList();
        var edge = StatuspageIds.GroupId("Edge");
        var data = StatuspageIds.GroupId("Data");

        // Configured: edge-eu (Edge), site, edge-us (Edge), db (Data), mail. Top level: Edge, site, Data, mail.
        // The flat array interleaves the levels by position, then age, each group after its own first member.
        (string, int, string?)[] expected =
            [("db", 1, data), (edge, 1, null), ("edge-eu", 1, edge), ("edge-us", 2, edge), ("site", 2, null), (data, 3, null), ("mail", 4, null)];
        Assert.Equal(
            expected,
            components.Select(c => (Text(c, "id"), c.GetProperty("position").GetInt32(), (string?)c.GetProperty("group_id").GetString())));
        var edgeRecord = components.Single(c => Text(c, "id") == edge);
        Assert.Equal("Edge", Text(edgeRecord, "name"));
        Assert.True(edgeRecord.GetProperty("group").GetBoolean());
        Assert.Equal(["edge-eu", "edge-us"], edgeRecord.GetProperty("components").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("operational", Text(edgeRecord, "status"));
        Assert.All(components.Where(c => !c.GetProperty("group").GetBoolean()), c => Assert.False(c.TryGetProperty("components", out _)));
    }

    [Fact]
    public void Groups_do_not_count_in_the_page_status_even_though_their_record_stays_operational()
    {
        // Both members of the only group are down: the page is red, not the orange a counted group would make.
        var snapshot = BusyPage.Snapshot() with
        {
            Components =
            [
                AcmeCloud.Component(1, "a", "A", ComponentStatus.MajorOutage, "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "G", null),
                AcmeCloud.Component(2, "b", "B", ComponentStatus.MajorOutage, "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "G", null),
            ],
        };

        using var status = Parse(snapshot, StatuspageDocument.Status);

        Assert.Equal("critical", status.RootElement.GetProperty("status").GetProperty("indicator").GetString());
    }

    [Fact]
    public void Incidents_json_holds_the_50_newest_and_unresolved_every_open_one_newest_first()
    {
        var snapshot = BusyPage.Snapshot();

        Assert.Equal(
            Enumerable.Range(10, 50).Reverse().Select(BusyPage.IncidentId),
            Ids(snapshot, StatuspageDocument.Incidents, "incidents"));
        var open = Enumerable.Range(0, BusyPage.IncidentCount).Reverse().Where(i => i % 5 < 3).Select(BusyPage.IncidentId).ToList();
        Assert.Equal(open, Ids(snapshot, StatuspageDocument.UnresolvedIncidents, "incidents"));
        Assert.Equal(open, Ids(snapshot, StatuspageDocument.Summary, "incidents"));
    }

    [Fact]
    public void Maintenances_are_selected_by_status_and_the_full_list_holds_the_50_newest()
    {
        var snapshot = BusyPage.Snapshot();
        List<string> Where(Func<int, bool> status) =>
            [.. Enumerable.Range(0, BusyPage.MaintenanceCount).Reverse().Where(i => status(i % 4)).Select(BusyPage.MaintenanceId)];

        Assert.Equal(Where(s => s == 0), Ids(snapshot, StatuspageDocument.UpcomingMaintenances, "scheduled_maintenances"));
        Assert.Equal(Where(s => s is 1 or 2), Ids(snapshot, StatuspageDocument.ActiveMaintenances, "scheduled_maintenances"));
        Assert.Equal(Where(s => s < 3), Ids(snapshot, StatuspageDocument.Summary, "scheduled_maintenances"));
        Assert.Equal(
            Enumerable.Range(5, 50).Reverse().Select(BusyPage.MaintenanceId),
            Ids(snapshot, StatuspageDocument.Maintenances, "scheduled_maintenances"));
    }

    [Fact]
    public void Empty_selections_are_empty_arrays()
    {
        var json = Render(BusyPage.Snapshot() with { Incidents = [], Maintenances = [] }, StatuspageDocument.Summary);

        Assert.Contains("\"incidents\":[],\"scheduled_maintenances\":[],\"status\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_public_timeline_entries_are_published_newest_first()
    {
        using var json = Parse(AcmeCloud.Snapshot(), StatuspageDocument.UnresolvedIncidents);
        var updates = json.RootElement.GetProperty("incidents")[0].GetProperty("incident_updates");

        Assert.Equal(["m1q8z5t2w9kc", "t4v7b3n8x2lj"], updates.EnumerateArray().Select(u => Text(u, "id")));
    }

    [Fact]
    public void Entries_of_the_same_millisecond_come_out_later_one_first()
    {
        var at = new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero);
        var incident = new Incident { Id = "samemillisec", Name = "Same", CreatedAt = at, UpdatedAt = at, StartedAt = at };
        var snapshot = BusyPage.Snapshot() with
        {
            Incidents =
            [
                new PublicIncident(incident, [
                    AcmeCloud.Update(incident.Id, "opened000000", IncidentStatus.Investigating, at, "Opened", null),
                    AcmeCloud.Update(incident.Id, "joined000000", IncidentStatus.Investigating, at, "Joined", null),
                ]),
            ],
        };

        using var json = Parse(snapshot, StatuspageDocument.Incidents);

        Assert.Equal(
            ["joined000000", "opened000000"],
            json.RootElement.GetProperty("incidents")[0].GetProperty("incident_updates").EnumerateArray().Select(u => Text(u, "id")));
    }

    [Fact]
    public void Affected_components_are_null_without_a_selection_and_named_with_their_group()
    {
        using var json = Parse(BusyPage.Snapshot(), StatuspageDocument.Incidents);
        var updates = json.RootElement.GetProperty("incidents")[0].GetProperty("incident_updates");

        Assert.Equal(JsonValueKind.Null, updates[0].GetProperty("affected_components").ValueKind);
        Assert.False(updates[0].GetProperty("deliver_notifications").GetBoolean());
        var affected = updates[1].GetProperty("affected_components");
        Assert.Equal(["Edge - America", "Removed component"], affected.EnumerateArray().Select(a => Text(a, "name")));
        Assert.Equal(("operational", "major_outage"), (Text(affected[0], "old_status"), Text(affected[0], "new_status")));
        Assert.Equal(JsonValueKind.Null, updates[1].GetProperty("custom_tweet").ValueKind);
        Assert.Equal(JsonValueKind.Null, updates[1].GetProperty("tweet_id").ValueKind);
    }

    [Fact]
    public void An_incident_shows_its_components_as_they_are_now_in_page_order()
    {
        using var json = Parse(BusyPage.Snapshot(), StatuspageDocument.Incidents);
        var incident = json.RootElement.GetProperty("incidents")[0];

        var components = incident.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["edge-us", "site"], components.Select(c => Text(c, "id")));
        Assert.Equal("major_outage", Text(components[0], "status"));
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("reminder_intervals").ValueKind);
    }

    [Fact]
    public void The_page_url_loses_its_trailing_slash_and_short_links_lead_to_the_incident_pages()
    {
        using var json = Parse(BusyPage.Snapshot(), StatuspageDocument.Summary);
        var root = json.RootElement;

        Assert.Equal("https://status.busy.example", Text(root.GetProperty("page"), "url"));
        Assert.Equal("https://status.busy.example/incidents/inc000000057", Text(root.GetProperty("incidents")[0], "shortlink"));
        Assert.Equal("https://status.busy.example/incidents/mnt000000054", Text(root.GetProperty("scheduled_maintenances")[0], "shortlink"));
    }

    [Fact]
    public void A_maintenance_update_names_its_maintenance_and_only_maintenances_have_a_window()
    {
        using var json = Parse(BusyPage.Snapshot(), StatuspageDocument.Summary);
        var maintenance = json.RootElement.GetProperty("scheduled_maintenances")[0];
        var incident = json.RootElement.GetProperty("incidents")[0];

        Assert.All(maintenance.GetProperty("incident_updates").EnumerateArray(), u => Assert.Equal(Text(maintenance, "id"), Text(u, "incident_id")));
        Assert.Equal(["muq000000054", "mup000000054"], maintenance.GetProperty("incident_updates").EnumerateArray().Select(u => Text(u, "id")));
        Assert.False(maintenance.TryGetProperty("reminder_intervals", out _));
        Assert.False(incident.TryGetProperty("scheduled_for", out _));
        Assert.Equal("2026-03-05T06:07:00.000Z", Text(maintenance, "scheduled_for"));
    }

    private static string Render(PublicSnapshot snapshot, StatuspageDocument document) =>
        Encoding.UTF8.GetString(new StatuspageWriter(snapshot).Render(document));

    private static JsonDocument Parse(PublicSnapshot snapshot, StatuspageDocument document) =>
        JsonDocument.Parse(new StatuspageWriter(snapshot).Render(document));

    private static List<string> Ids(PublicSnapshot snapshot, StatuspageDocument document, string list)
    {
        using var json = Parse(snapshot, document);
        return [.. json.RootElement.GetProperty(list).EnumerateArray().Select(e => Text(e, "id"))];
    }

    private static string Text(JsonElement element, string key) => element.GetProperty(key).GetString()!;
}
