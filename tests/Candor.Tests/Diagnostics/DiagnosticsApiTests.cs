using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace Candor.Tests.Diagnostics;

/// <summary>A whole server: a monitor turns down, and the result that confirmed it carries the diagnosis in the API.</summary>
public sealed class DiagnosticsApiTests(TestHttpServer target) : IClassFixture<TestHttpServer>
{
    [Fact]
    public async Task The_result_that_confirmed_an_outage_carries_its_diagnosis_and_the_failure_before_it_does_not()
    {
        var url = $"http://127.0.0.1:{target.HttpPort}/status/500";
        await using var candor = await CandorApp.StartAsync($$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: http, target: "{{url}}", interval: 1s, timeout: 1s, conditions: [ "status == 200" ] }

            """);

        var monitor = await candor.WaitForMonitorAsync("home", m => CandorApp.HasStatus(m, "down"));
        var since = monitor.GetProperty("locations")[0].GetProperty("since").GetDateTimeOffset();
        // The monitor's view is taken as each batch is judged, the list from the store once the batch is written.
        var results = await WaitForResultsAsync(candor, rs => rs.EnumerateArray().Any(r => r.GetProperty("started_at").GetDateTimeOffset() == since));
        var confirming = results.EnumerateArray().Single(r => r.GetProperty("started_at").GetDateTimeOffset() == since);
        var before = results.EnumerateArray().First(r => r.GetProperty("started_at").GetDateTimeOffset() < since);

        var detail = await WaitForDiagnosticsAsync(candor, confirming.GetProperty("id").GetString()!);

        Assert.Equal("down", detail.GetProperty("outcome").GetString());
        Assert.Equal("status (500) == 200", detail.GetProperty("message").GetString());
        var diagnostics = detail.GetProperty("diagnostics");
        Assert.Equal(
            $"{url} answered HTTP/1.1 500 Internal Server Error; the check failed on: status (500) == 200",
            diagnostics.GetProperty("summary").GetString());
        Assert.Equal("HTTP/1.1 500 Internal Server Error", diagnostics.GetProperty("http").GetProperty("status_line").GetString());
        Assert.Equal("Kestrel", diagnostics.GetProperty("http").GetProperty("headers").GetProperty("Server").GetString());
        Assert.Equal("connected", diagnostics.GetProperty("tcp")[0].GetProperty("outcome").GetString());

        var earlier = await candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/monitors/home/results/{before.GetProperty("id").GetString()}");
        Assert.Equal(JsonValueKind.Null, earlier.GetProperty("diagnostics").ValueKind);
    }

    [Theory]
    [InlineData("home", "0193a0b4-0000-7000-8000-000000000000", "unknown-result")]
    [InlineData("home", "not-a-result", "unknown-result")]
    [InlineData("nope", "0193a0b4-0000-7000-8000-000000000000", "unknown-monitor")]
    public async Task An_unknown_result_or_monitor_is_404_with_problem_details(string monitor, string result, string problem)
    {
        await using var candor = await CandorApp.StartAsync("""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: tcp, target: "127.0.0.1:9", interval: 1m }

            """);

        var response = await candor.Http.GetAsync($"/api/v1/monitors/{monitor}/results/{result}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/" + problem, body.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_is_not_found_under_another_monitor()
    {
        await using var candor = await CandorApp.StartAsync("""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: tcp, target: "127.0.0.1:9", interval: 1s, timeout: 1s }
              - { id: other, component: web, type: tcp, target: "127.0.0.1:9", interval: 1m }

            """);
        var monitor = await candor.WaitForMonitorAsync("home", m => m.GetProperty("locations")[0].GetProperty("last_result").ValueKind == JsonValueKind.Object);
        var id = monitor.GetProperty("locations")[0].GetProperty("last_result").GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.OK, (await candor.Http.GetAsync($"/api/v1/monitors/home/results/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await candor.Http.GetAsync($"/api/v1/monitors/other/results/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_last_result_a_monitor_shows_is_found_while_its_batch_waits_to_be_stored()
    {
        using var dir = new TempDirectory();
        var database = Path.Combine(dir.Path, "candor.db");
        await using var candor = await CandorApp.StartAsync("""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: tcp, target: "127.0.0.1:9", interval: 1s, timeout: 1s }

            """, storage: $"sqlite:{database}");
        string? LastResult(JsonElement monitor) =>
            monitor.GetProperty("locations")[0].GetProperty("last_result") is { ValueKind: JsonValueKind.Object } last
                ? last.GetProperty("id").GetString()
                : null;

        // Holding the write lock keeps the next batch from being stored; readers still read, as in WAL they do.
        await using var blocker = new SqliteConnection($"Data Source={database};Pooling=False");
        await blocker.OpenAsync();
        await using var hold = blocker.CreateCommand();
        hold.CommandText = "BEGIN IMMEDIATE";
        await hold.ExecuteNonQueryAsync();
        await using var stored = blocker.CreateCommand();
        stored.CommandText = "SELECT COUNT(*) FROM check_results WHERE id = $id";
        var parameter = stored.Parameters.Add("$id", SqliteType.Blob);
        async Task<bool> IsStored(string id)
        {
            parameter.Value = Guid.Parse(id).ToByteArray(bigEndian: true);
            return (long)(await stored.ExecuteScalarAsync())! > 0;
        }

        // The batch judged just before the lock, or the next one: either is shown and waits to be stored.
        string? shown = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); shown is null || await IsStored(shown); await Task.Delay(50))
        {
            Assert.True(DateTime.UtcNow < deadline, "no result was shown that the store did not hold yet");
            shown = LastResult(await candor.MonitorAsync("home"));
        }

        var response = await candor.Http.GetAsync($"/api/v1/monitors/home/results/{shown}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(shown, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.False(await IsStored(shown));
        hold.CommandText = "ROLLBACK";
        await hold.ExecuteNonQueryAsync();
    }

    private static async Task<JsonElement> WaitForResultsAsync(CandorApp candor, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var results = await candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/monitors/home/results");
            if (condition(results))
            {
                return results;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the results never held what was awaited: {results}");
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> WaitForDiagnosticsAsync(CandorApp candor, string resultId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var detail = await candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/monitors/home/results/{resultId}");
            if (detail.GetProperty("diagnostics").ValueKind == JsonValueKind.Object)
            {
                return detail;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no diagnostics came for {resultId}: {detail}");
            await Task.Delay(100);
        }
    }
}
