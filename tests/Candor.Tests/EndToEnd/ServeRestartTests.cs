using System.Net.Http.Json;
using System.Text.Json;
using Candor.Bench.Peers;
using Candor.Tests.Fixtures;

namespace Candor.Tests.EndToEnd;

/// <summary>
/// `candor serve` as a real process, stopped and started again while a monitor is down: the state and the
/// history must come back exactly, with no result lost or doubled.
/// </summary>
public sealed class ServeRestartTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly int _port = FreePort.Next();
    private readonly string _config;

    public ServeRestartTests()
    {
        var closedPort = FreePort.Next();
        _config = _dir.Write("candor.yaml", $$"""
            storage: sqlite:{{_dir.Path}}/candor.db
            components:
              - { id: api, name: API }
              - { id: self, name: Self }
            monitors:
              - { id: api-port, component: api, type: tcp, target: "127.0.0.1:{{closedPort}}", interval: 1s, timeout: 500ms }
              - id: self-health
                component: self
                type: http
                target: http://127.0.0.1:{{_port}}/healthz
                interval: 1s
                timeout: 1s
                conditions: [ "status == 200" ]
            incidents: { confirm_after: 2 }

            """);
    }

    private async Task AuthorizeAsync()
    {
        var (exitCode, output) = await CandorProcess.RunAsync(
            _dir.Path, "token", "create", "--config", _config, "--role", "viewer", "--name", "restart-test");
        Assert.True(exitCode == 0, output);
        _http.DefaultRequestHeaders.Authorization = new("Bearer", output.Trim().Split('\n')[^1].Trim());
    }

    [Theory]
    [InlineData("graceful")]
    [InlineData("crash")]
    public async Task States_and_history_survive_a_restart_without_duplicates(string stop)
    {
        await AuthorizeAsync();
        JsonElement before;
        List<string> idsBefore;
        await using (var first = await CandorProcess.ServeAsync(_dir.Path, _config, _port))
        {
            before = await WaitForAsync(m => Status(m, "api-port") == "down" && Status(m, "self-health") == "up");
            await Task.Delay(1500);
            idsBefore = await ResultIdsAsync("api-port");
            if (stop == "graceful")
            {
                Assert.Equal(0, await first.StopAsync());
            }
            else
            {
                await first.CrashAsync();
            }
        }

        // A crash can only lose what was not yet committed; what the API showed before was committed.
        await using var second = await CandorProcess.ServeAsync(_dir.Path, _config, _port);
        var after = await MonitorsAsync();
        var downBefore = Location(before, "api-port");
        var downAfter = Location(after, "api-port");
        Assert.Equal("down", downAfter.GetProperty("status").GetString());
        Assert.Equal(downBefore.GetProperty("since").GetDateTimeOffset(), downAfter.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(
            downBefore.GetProperty("failing_since").GetDateTimeOffset(),
            downAfter.GetProperty("failing_since").GetDateTimeOffset());
        Assert.True(
            downAfter.GetProperty("consecutive_failures").GetInt32() >= downBefore.GetProperty("consecutive_failures").GetInt32());

        await Task.Delay(2500);
        var idsAfter = await ResultIdsAsync("api-port");
        Assert.Equal(idsAfter.Count, idsAfter.Distinct().Count());
        Assert.Empty(idsBefore.Except(idsAfter));
        Assert.True(idsAfter.Count > idsBefore.Count, "checks resumed after the restart");
        Assert.Contains("Major Outage", await _http.GetStringAsync($"http://127.0.0.1:{_port}/"), StringComparison.Ordinal);
    }

    private async Task<JsonElement> MonitorsAsync() =>
        await _http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{_port}/api/v1/monitors");

    private async Task<List<string>> ResultIdsAsync(string monitor)
    {
        var results = await _http.GetFromJsonAsync<JsonElement>(
            $"http://127.0.0.1:{_port}/api/v1/monitors/{monitor}/results?limit=10000");
        return [.. results.EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
    }

    private async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var monitors = await MonitorsAsync();
            if (condition(monitors))
            {
                return monitors;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting; last state: {monitors}");
            await Task.Delay(200);
        }
    }

    private static JsonElement Monitor(JsonElement monitors, string id) =>
        monitors.EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);

    private static string? Status(JsonElement monitors, string id) => Monitor(monitors, id).GetProperty("status").GetString();

    private static JsonElement Location(JsonElement monitors, string id) =>
        Monitor(monitors, id).GetProperty("locations").EnumerateArray().Single();

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }
}
