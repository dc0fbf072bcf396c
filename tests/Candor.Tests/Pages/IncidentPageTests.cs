using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Candor.Bench.Peers;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Pages;

/// <summary>An incident's page through its life: the impact window, the verification window while monitoring, an override.</summary>
public sealed class IncidentPageTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private TcpListener _target = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _target = Listen();
        _candor = await CandorApp.StartAsync($$"""
            components: [ { id: api, name: API } ]
            monitors:
              - { id: api-port, name: API port, component: api, type: tcp, target: "127.0.0.1:{{_port}}", interval: 1s, timeout: 500ms }
            incidents: { verify_for: 60m }

            """);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        _target.Dispose();
    }

    [Fact]
    public async Task While_monitoring_the_page_shows_the_verification_window_and_an_override_keeps_its_reason()
    {
        await _candor.WaitForMonitorAsync("api-port", m => CandorApp.HasStatus(m, "up"));
        _target.Stop();
        await _candor.WaitForPageAsync("/", "API: major outage");
        var id = (await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=open"))[0].GetProperty("id").GetString()!;
        var failing = await _candor.WaitForPageAsync($"/incidents/{id}", "Customers have been affected since");
        Assert.Contains("Seen failing: API port (from local).", failing, StringComparison.Ordinal);

        _target = Listen();
        var monitoring = await _candor.WaitForPageAsync($"/incidents/{id}", "Verifying the fix");
        Assert.Contains("Verified for 0 of 60 minutes", monitoring, StringComparison.Ordinal);
        Assert.Matches("<progress id=\"progress-[a-z0-9]+\" max=\"100\" value=\"0\">", monitoring);
        Assert.Contains("Automatic: every check passing again", monitoring, StringComparison.Ordinal);

        var resolved = await _candor.Http.PostAsJsonAsync($"/api/v1/incidents/{id}/resolve", new { @override = true, reason = "Confirmed with the customer's own test." });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var page = await _candor.WaitForPageAsync($"/incidents/{id}", "Resolved by override");
        Assert.Contains("Reason: Confirmed with the customer's own test.", page, StringComparison.Ordinal);
        Assert.Contains("Still unverified when resolved: 60 min left of the verification window.", page, StringComparison.Ordinal);
        Assert.Contains("Customers were affected from", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Verifying the fix", page, StringComparison.Ordinal);
    }

    private TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, _port);
        listener.Start();
        return listener;
    }
}
