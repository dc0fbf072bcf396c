using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Tests.Fixtures;

namespace Candor.Tests.EndToEnd;

/// <summary>Heartbeats through the real ping routes: the job's side and what the monitor then says.</summary>
public sealed class HeartbeatPingTests
{
    private const string Config = """
        components: [ { id: mail, name: Support e-mail } ]
        monitors:
          - { id: mail-pipeline, component: mail, type: heartbeat, every: 1h, grace: 1m, token: mail-pipeline-token-1 }
          - { id: nightly, component: mail, type: heartbeat, every: 1d }

        """;

    [Fact]
    public async Task A_ping_is_up_and_a_fail_signal_is_down_at_once()
    {
        await using var candor = await CandorApp.StartAsync(Config);

        var ok = await candor.Anonymous.PostAsync("/ping/mail-pipeline-token-1", null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await candor.WaitForMonitorAsync("mail-pipeline", m => CandorApp.HasStatus(m, "up"));

        Assert.Equal(HttpStatusCode.OK, (await candor.Anonymous.GetAsync("/ping/mail-pipeline-token-1/fail")).StatusCode);
        var down = await candor.WaitForMonitorAsync("mail-pipeline", m => CandorApp.HasStatus(m, "down"), seconds: 5);

        var last = down.GetProperty("locations")[0].GetProperty("last_result");
        Assert.Equal("heartbeat", last.GetProperty("error_kind").GetString());
        Assert.StartsWith("the job reported failure at ", last.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generated_token_is_shown_in_the_monitor_record_and_accepts_pings()
    {
        await using var candor = await CandorApp.StartAsync(Config);

        var first = await candor.MonitorAsync("nightly");
        var heartbeat = first.GetProperty("heartbeat");
        var token = heartbeat.GetProperty("token").GetString()!;
        Assert.True(token.Length >= 20);
        Assert.Equal($"{candor.Anonymous.BaseAddress!.ToString().TrimEnd('/')}/ping/{token}", heartbeat.GetProperty("ping_url").GetString());

        Assert.Equal(HttpStatusCode.OK, (await candor.Anonymous.GetAsync(heartbeat.GetProperty("ping_url").GetString())).StatusCode);
        await candor.WaitForMonitorAsync("nightly", m => CandorApp.HasStatus(m, "up"));
        Assert.Equal(token, (await candor.MonitorAsync("nightly")).GetProperty("heartbeat").GetProperty("token").GetString());
    }

    [Fact]
    public async Task An_unknown_token_is_a_404_problem()
    {
        await using var candor = await CandorApp.StartAsync(Config);

        var response = await candor.Anonymous.GetAsync("/ping/not-a-token");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/unknown-ping-token", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
    }
}
