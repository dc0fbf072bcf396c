using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Tests.Fixtures;

namespace Candor.Tests.EndToEnd;

/// <summary>A whole server watching a real HTTP target, read back through its own API and page.</summary>
public sealed class ServeHttpTests(TestHttpServer target) : IClassFixture<TestHttpServer>
{
    private string Url(string path) => $"http://127.0.0.1:{target.HttpPort}{path}";

    [Fact]
    public async Task A_failing_status_turns_the_monitor_down_after_two_checks_with_the_resolved_value()
    {
        await using var candor = await CandorApp.StartAsync($$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: http, target: "{{Url("/status/500")}}", interval: 1s, timeout: 1s, conditions: [ "status == 200" ] }

            """);

        var monitor = await candor.WaitForMonitorAsync("home", m => CandorApp.HasStatus(m, "down"));

        var location = monitor.GetProperty("locations")[0];
        Assert.True(location.GetProperty("consecutive_failures").GetInt32() >= 2);
        var last = location.GetProperty("last_result");
        Assert.Equal("down", last.GetProperty("outcome").GetString());
        Assert.Equal("status", last.GetProperty("error_kind").GetString());
        Assert.Equal("status (500) == 200", last.GetProperty("message").GetString());
        await candor.WaitForPageAsync("/", "Major Outage");
    }

    [Fact]
    public async Task A_slow_answer_degrades_the_monitor_and_its_component()
    {
        await using var candor = await CandorApp.StartAsync($$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - id: slow
                component: web
                type: http
                target: "{{Url("/slow?delay=300")}}"
                interval: 2s
                timeout: 1s
                conditions: [ "status == 200" ]
                degraded_when: [ "response_time > 150ms" ]

            """);

        var monitor = await candor.WaitForMonitorAsync("slow", m => CandorApp.HasStatus(m, "degraded"));

        var message = monitor.GetProperty("locations")[0].GetProperty("last_result").GetProperty("message").GetString();
        Assert.Matches(@"^response_time \(\d+ms\) > 150ms$", message);
        await candor.WaitForPageAsync("/", "Degraded Performance");
    }

    [Fact]
    public async Task A_healthy_target_is_up_with_its_timings_and_history()
    {
        await using var candor = await CandorApp.StartAsync($$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: http, target: "{{Url("/ok")}}", interval: 1s, timeout: 1s, conditions: [ "status == 200", "body contains Welcome" ] }

            """);

        await candor.WaitForMonitorAsync("home", m => CandorApp.HasStatus(m, "up"));
        // Waited for rather than read after a fixed pause: on a loaded machine one check can exceed its 1 s timeout,
        // and the history then has a down result on top until the next check.
        var results = await candor.WaitForJsonAsync(
            "/api/v1/monitors/home/results",
            r => r.GetArrayLength() >= 2 && r[0].GetProperty("outcome").GetString() == "up");

        var newest = results[0];
        Assert.Equal("local", newest.GetProperty("location").GetString());
        Assert.True(newest.GetProperty("timings").GetProperty("connect_ms").GetDouble() >= 0);
        Assert.True(newest.GetProperty("started_at").GetDateTimeOffset() > results[1].GetProperty("started_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Bad_queries_get_problem_details_that_name_the_parameter()
    {
        await using var candor = await CandorApp.StartAsync($$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: http, target: "{{Url("/ok")}}", interval: 1m }

            """);

        var bad = await candor.Http.GetAsync("/api/v1/monitors/home/results?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("from", problem.GetProperty("parameter").GetString());
        Assert.Contains("'yesterday' is not an ISO 8601 time", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var missing = await candor.Http.GetAsync("/api/v1/monitors/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var notFound = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/unknown-monitor", notFound.GetProperty("type").GetString(), StringComparison.Ordinal);

        Assert.Equal("ok\n", await candor.Anonymous.GetStringAsync("/healthz"));
    }
}
