using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Candor.Bench.Peers;
using Candor.Tests.Fixtures;

namespace Candor.Tests.EndToEnd;

/// <summary>The incident life cycle through the admin API, and what the public Statuspage API shows of it.</summary>
public sealed class IncidentApiTests : IAsyncLifetime
{
    private readonly int _closedPort = FreePort.Next();
    private CandorApp _candor = null!;

    public async Task InitializeAsync() => _candor = await CandorApp.StartAsync($$"""
        page: { name: Acme Status, url: "https://status.acme.example" }
        components:
          - { id: api, name: API }
          - { id: support, name: Support desk }
        monitors:
          - { id: api-port, component: api, type: tcp, target: "127.0.0.1:{{_closedPort}}", interval: 1s, timeout: 500ms }
        incidents: { confirm_after: 2, verify_for: 60m }

        """);

    public async Task DisposeAsync() => await _candor.DisposeAsync();

    [Fact]
    public async Task A_confirmed_failure_opens_an_incident_that_cannot_be_resolved_early_and_is_published()
    {
        var incident = await WaitForAsync(async () =>
        {
            var open = await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=open");
            return open.GetArrayLength() == 1 ? open[0] : (JsonElement?)null;
        });
        var id = incident.GetProperty("id").GetString()!;
        Assert.True(incident.GetProperty("automatic").GetBoolean());
        Assert.Equal("investigating", incident.GetProperty("status").GetString());
        Assert.Equal("critical", incident.GetProperty("impact").GetString());
        Assert.Equal("API: major outage", incident.GetProperty("name").GetString());

        var detail = await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        var opened = detail.GetProperty("timeline")[0];
        Assert.Equal("opened", opened.GetProperty("kind").GetString());
        Assert.Equal("api-port", opened.GetProperty("evidence")[0].GetProperty("monitor").GetString());
        Assert.Contains("refused", opened.GetProperty("evidence")[0].GetProperty("locations")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        var refused = await PostAsync($"/api/v1/incidents/{id}/resolve", "{}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/incident-not-verified", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("still_failing").GetBoolean());
        Assert.Equal(60, problem.GetProperty("minutes_left").GetInt32());

        var update = await PostAsync($"/api/v1/incidents/{id}/updates",
            """{"status":"identified","body":"A **firewall change** blocks the port.","customer_action":"Retry any request that failed since 17:05."}""");
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/v1/incidents/{id}/roles",
            """{"role":"incident_commander","name":"Dana","contact":"+1 555 0100"}""")).StatusCode);
        var impact = await PostAsync($"/api/v1/incidents/{id}/impact", """{"impact":"major"}""");
        Assert.True((await impact.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("impact_overridden").GetBoolean());

        var unresolved = await WaitForAsync(async () =>
        {
            var doc = await _candor.Anonymous.GetFromJsonAsync<JsonElement>("/api/v2/incidents/unresolved.json");
            var incidents = doc.GetProperty("incidents");
            return incidents.GetArrayLength() == 1 && incidents[0].GetProperty("status").GetString() == "identified"
                && incidents[0].GetProperty("impact").GetString() == "major"
                ? incidents[0]
                : (JsonElement?)null;
        });
        Assert.Equal(id, unresolved.GetProperty("id").GetString());
        Assert.Equal("A **firewall change** blocks the port.", unresolved.GetProperty("incident_updates")[0].GetProperty("body").GetString());
        Assert.Equal("api", unresolved.GetProperty("components")[0].GetProperty("id").GetString());
        // One of two components in a major outage: Statuspage's roll-up says "Partial System Outage".
        var status = await _candor.Anonymous.GetFromJsonAsync<JsonElement>("/api/v2/status.json");
        Assert.Equal("major", status.GetProperty("status").GetProperty("indicator").GetString());
        Assert.Equal("Partial System Outage", status.GetProperty("status").GetProperty("description").GetString());

        var overridden = await PostAsync($"/api/v1/incidents/{id}/resolve", """{"override":true,"reason":"The port is retired; the monitor goes next."}""");
        Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        var published = await WaitForAsync(async () =>
        {
            var doc = await _candor.Anonymous.GetFromJsonAsync<JsonElement>("/api/v2/incidents.json");
            var first = doc.GetProperty("incidents")[0];
            return first.GetProperty("status").GetString() == "resolved" ? first : (JsonElement?)null;
        });
        Assert.Contains("The port is retired", published.GetProperty("incident_updates")[0].GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manual_incident_for_a_component_without_monitors_resolves_when_a_person_says_so()
    {
        var created = await PostAsync("/api/v1/incidents",
            """{"name":"Tickets answered slowly","components":["support"],"status":"identified","body":"Half the team is out.","impact":"minor"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var incident = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(incident.GetProperty("automatic").GetBoolean());
        Assert.Equal(created.Headers.Location!.ToString(), $"/api/v1/incidents/{incident.GetProperty("id").GetString()}");

        var resolved = await PostAsync($"/api/v1/incidents/{incident.GetProperty("id").GetString()}/resolve", "");
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("resolved", (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"name":"x","components":["api"]""", null, "the body is not valid JSON")]
    [InlineData("""{"name":"x","components":["api"],"severity":"high"}""", "severity", "unknown field 'severity'")]
    [InlineData("""{"name":"x","components":["api"],"status":"fixed"}""", "status", "'status' must be one of: investigating, identified, monitoring, resolved, postmortem")]
    [InlineData("""{"name":"x","components":"api"}""", "components", "'components' has the wrong type")]
    [InlineData("""{"components":["api"]}""", null, "missing required properties")]
    [InlineData("""{"name":"x","components":["nope"]}""", null, "unknown component(s): nope")]
    public async Task A_bad_body_is_a_400_problem_that_names_the_field(string body, string? field, string detail)
    {
        var response = await PostAsync("/api/v1/incidents", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_is_described_by_an_openapi_document()
    {
        var document = await _candor.Anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/incidents/{id}/resolve", out _));
        Assert.True(paths.TryGetProperty("/api/v1/monitors/{id}/results", out _));
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _candor.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }
}
