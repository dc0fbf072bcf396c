using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Candor.Tests.Fixtures;

namespace Candor.Tests.EndToEnd;

/// <summary>Maintenance through the admin API, and what the Statuspage maintenance endpoints then show.</summary>
public sealed class MaintenanceApiTests : IAsyncLifetime
{
    private CandorApp _candor = null!;

    public async Task InitializeAsync() => _candor = await CandorApp.StartAsync("""
        components: [ { id: storage, name: Storage }, { id: web, name: Website } ]

        """);

    public async Task DisposeAsync() => await _candor.DisposeAsync();

    [Fact]
    public async Task A_window_is_announced_started_and_verified_and_the_public_api_follows()
    {
        var starts = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var created = await PostAsync("/api/v1/maintenance",
            $$"""{"title":"Database upgrade","body":"Writes pause for a minute.","components":["storage"],"starts":"{{starts}}","duration":"2h"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var upcoming = await WaitForAsync("/api/v2/scheduled-maintenances/upcoming.json", doc =>
            doc.GetProperty("scheduled_maintenances").GetArrayLength() == 1);
        var announced = upcoming.GetProperty("scheduled_maintenances")[0];
        Assert.Equal("Database upgrade", announced.GetProperty("name").GetString());
        Assert.Equal("scheduled", announced.GetProperty("status").GetString());
        Assert.Equal("maintenance", announced.GetProperty("impact").GetString());

        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/v1/maintenance/{id}/start", "")).StatusCode);
        await WaitForAsync("/api/v2/scheduled-maintenances/active.json", doc =>
            doc.GetProperty("scheduled_maintenances").EnumerateArray().Any(m => m.GetProperty("status").GetString() == "in_progress"));
        await WaitForAsync("/api/v2/components.json", doc =>
            doc.GetProperty("components").EnumerateArray().Any(c =>
                c.GetProperty("id").GetString() == "storage" && c.GetProperty("status").GetString() == "under_maintenance"));

        var completed = await PostAsync($"/api/v1/maintenance/{id}/complete", "");
        Assert.Equal("verifying", (await completed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        await WaitForAsync("/api/v2/scheduled-maintenances/active.json", doc =>
            doc.GetProperty("scheduled_maintenances").EnumerateArray().Any(m => m.GetProperty("status").GetString() == "verifying"));

        var detail = await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/maintenance/{id}");
        Assert.Equal(["scheduled", "started", "verifying"], detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_cancelled_window_is_no_longer_announced()
    {
        var created = await PostAsync("/api/v1/maintenance",
            """{"title":"Network work","components":["web"],"starts":"2030-01-01T01:00:00Z","duration":"1h","grace":"5m"}""");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await WaitForAsync("/api/v2/scheduled-maintenances/upcoming.json", doc => doc.GetProperty("scheduled_maintenances").GetArrayLength() == 1);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/v1/maintenance/{id}/cancel", "")).StatusCode);

        await WaitForAsync("/api/v2/scheduled-maintenances/upcoming.json", doc => doc.GetProperty("scheduled_maintenances").GetArrayLength() == 0);
        var again = await PostAsync($"/api/v1/maintenance/{id}/start", "");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_window_keeps_its_own_verification_time_and_time_zone()
    {
        var created = await PostAsync("/api/v1/maintenance",
            """{"title":"Mail relay swap","components":["web"],"starts":"2030-07-01T07:00:00Z","duration":"1h","verify_for":"15m","time_zone":"Europe/Berlin"}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var window = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("15m", window.GetProperty("verify_for").GetString());
        Assert.Equal("10m", window.GetProperty("grace").GetString());
        Assert.Equal("Europe/Berlin", window.GetProperty("time_zone").GetString());
    }

    [Theory]
    [InlineData("""{"title":" ","components":["web"],"starts":"2030-01-01T01:00:00Z","duration":"1h"}""", "a maintenance window needs a title")]
    [InlineData("""{"title":"x","components":["web"],"starts":"2030-01-01T01:00:00Z","duration":"1h","time_zone":"Mars/Olympus"}""", "'Mars/Olympus' is not a known time zone")]
    [InlineData("""{"title":"x","components":["web"],"starts":"2030-01-01T01:00:00Z","duration":"1h","verify_for":"soon"}""", "'soon' is not a duration")]
    [InlineData("""{"title":"x","components":["nope"],"starts":"2030-01-01T01:00:00Z","duration":"1h"}""", "unknown component(s): nope")]
    [InlineData("""{"title":"x","components":["web"],"starts":"2030-01-01T01:00:00Z","duration":"an hour"}""", "'an hour' is not a duration")]
    [InlineData("""{"title":"x","components":["web"],"starts":"soon","duration":"1h"}""", "'starts' has the wrong type")]
    public async Task A_bad_window_is_a_400_problem(string body, string detail)
    {
        var response = await PostAsync("/api/v1/maintenance", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _candor.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var doc = await _candor.Anonymous.GetFromJsonAsync<JsonElement>(path);
            if (condition(doc))
            {
                return doc;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting on {path}: {doc}");
            await Task.Delay(100);
        }
    }
}
