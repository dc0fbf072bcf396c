using System.Text;
using System.Text.Json;
using Candor.StatusPage.Api;
using static Candor.Tests.StatusPage.StatuspageClient;

namespace Candor.Tests.StatusPage;

/// <summary>Every document Candor serves reads into a strict client written from the specification.</summary>
public class StrictClientTests
{
    public static TheoryData<string, StatuspageDocument> Renderings()
    {
        var data = new TheoryData<string, StatuspageDocument>();
        foreach (var page in new[] { "acme", "busy", "busy-kolkata" })
        {
            foreach (var document in Enum.GetValues<StatuspageDocument>())
            {
                data.Add(page, document);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Every_document_reads_into_the_strict_client_model(string page, StatuspageDocument document)
    {
        var snapshot = page switch
        {
            "acme" => AcmeCloud.Snapshot(),
            "busy" => BusyPage.Snapshot(),
            _ => BusyPage.Snapshot(TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata")),
        };

        Check(document, Encoding.UTF8.GetString(new StatuspageWriter(snapshot).Render(document)));
    }

    [Theory]
    [MemberData(nameof(ExampleShapeTests.Documents), MemberType = typeof(ExampleShapeTests))]
    public void The_example_files_read_into_the_strict_client_model_too(StatuspageDocument document) =>
        Check(document, ExampleFiles.Read(document));

    [Theory]
    [InlineData("an unknown key", """{"page":{"id":"a","name":"b","url":"https://x.example","time_zone":"Etc/UTC","updated_at":"2026-01-01T00:00:00.000Z","extra":1},"status":{"indicator":"none","description":"All Systems Operational"}}""")]
    [InlineData("a missing key", """{"page":{"id":"a","name":"b","url":"https://x.example","updated_at":"2026-01-01T00:00:00.000Z"},"status":{"indicator":"none","description":"All Systems Operational"}}""")]
    [InlineData("a repeated key", """{"page":{"id":"a","id":"a","name":"b","url":"https://x.example","time_zone":"Etc/UTC","updated_at":"2026-01-01T00:00:00.000Z"},"status":{"indicator":"none","description":"All Systems Operational"}}""")]
    [InlineData("a null timestamp", """{"page":{"id":"a","name":"b","url":"https://x.example","time_zone":"Etc/UTC","updated_at":null},"status":{"indicator":"none","description":"All Systems Operational"}}""")]
    [InlineData("a null string", """{"page":{"id":"a","name":null,"url":"https://x.example","time_zone":"Etc/UTC","updated_at":"2026-01-01T00:00:00.000Z"},"status":{"indicator":"none","description":"All Systems Operational"}}""")]
    [InlineData("an indicator out of the specification", """{"page":{"id":"a","name":"b","url":"https://x.example","time_zone":"Etc/UTC","updated_at":"2026-01-01T00:00:00.000Z"},"status":{"indicator":"blue","description":"All Systems Operational"}}""")]
    [InlineData("an indicator in the wrong case", """{"page":{"id":"a","name":"b","url":"https://x.example","time_zone":"Etc/UTC","updated_at":"2026-01-01T00:00:00.000Z"},"status":{"indicator":"None","description":"All Systems Operational"}}""")]
    [InlineData("an indicator as a number", """{"page":{"id":"a","name":"b","url":"https://x.example","time_zone":"Etc/UTC","updated_at":"2026-01-01T00:00:00.000Z"},"status":{"indicator":0,"description":"All Systems Operational"}}""")]
    public void The_strict_client_model_refuses(string what, string json)
    {
        var failure = Record.Exception(() => Parse<StatusDocument>(json));

        Assert.True(failure is JsonException, $"{what} was accepted");
    }

    private static void Check(StatuspageDocument document, string json)
    {
        switch (document)
        {
            case StatuspageDocument.Summary:
                var summary = Parse<SummaryDocument>(json);
                CheckPage(summary.Page);
                CheckComponents(summary.Components);
                CheckIncidents(summary.Incidents);
                CheckMaintenances(summary.ScheduledMaintenances);
                Assert.True(IsSpecified(summary.Status), $"{summary.Status} is not in the specification");
                break;
            case StatuspageDocument.Status:
                var status = Parse<StatusDocument>(json);
                CheckPage(status.Page);
                Assert.True(IsSpecified(status.Status), $"{status.Status} is not in the specification");
                break;
            case StatuspageDocument.Components:
                var components = Parse<ComponentsDocument>(json);
                CheckPage(components.Page);
                CheckComponents(components.Components);
                break;
            case StatuspageDocument.UnresolvedIncidents or StatuspageDocument.Incidents:
                var incidents = Parse<IncidentsDocument>(json);
                CheckPage(incidents.Page);
                CheckIncidents(incidents.Incidents);
                break;
            default:
                var maintenances = Parse<MaintenancesDocument>(json);
                CheckPage(maintenances.Page);
                CheckMaintenances(maintenances.ScheduledMaintenances);
                break;
        }
    }

    private static void CheckPage(Page page)
    {
        Assert.True(page.Url.IsAbsoluteUri);
        Assert.False(page.Url.OriginalString.EndsWith('/'), "the page URL has a trailing slash");
    }

    /// <summary>Only group records carry the list of their members.</summary>
    private static void CheckComponents(IEnumerable<Component> components) =>
        Assert.All(components, c => Assert.Equal(c.Group, c.Components is not null));

    private static void CheckIncidents(IEnumerable<Incident> incidents) =>
        Assert.All(incidents, i =>
        {
            Assert.True(i.Shortlink.IsAbsoluteUri);
            CheckComponents(i.Components);
        });

    private static void CheckMaintenances(IEnumerable<StatuspageClient.Maintenance> maintenances) =>
        Assert.All(maintenances, m =>
        {
            Assert.True(m.Shortlink.IsAbsoluteUri);
            CheckComponents(m.Components);
        });
}
