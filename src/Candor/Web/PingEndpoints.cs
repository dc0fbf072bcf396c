using Candor.Configuration;
using Candor.Monitoring.Scheduling;
using Candor.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Web;

/// <summary>
/// `/ping/{token}`, `/ping/{token}/fail`, `/ping/{token}/start`: what a job calls to say it ran. The ping is
/// stored first, then the heartbeat is judged at once, so a failure signal does not wait for the next slot.
/// </summary>
public static class PingEndpoints
{
    private static readonly string[] Methods = ["GET", "POST", "HEAD"];

    public static void MapPingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/ping/{token}", Methods, (string token, HttpContext http, CancellationToken ct) =>
            PingAsync(token, PingKind.Success, http, ct));
        app.MapMethods("/ping/{token}/fail", Methods, (string token, HttpContext http, CancellationToken ct) =>
            PingAsync(token, PingKind.Fail, http, ct));
        app.MapMethods("/ping/{token}/start", Methods, (string token, HttpContext http, CancellationToken ct) =>
            PingAsync(token, PingKind.Start, http, ct));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PingAsync(
        string token, PingKind kind, HttpContext http, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var store = services.GetRequiredService<ICandorStore>();
        var monitorId = await store.FindMonitorByHeartbeatTokenAsync(token, cancellationToken);
        if (monitorId is null)
        {
            return Problems.UnknownPingToken();
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var source = http.Connection.RemoteIpAddress?.ToString();
        await store.RecordPingAsync(new HeartbeatPing(monitorId, kind, clock.StoredNow(), source), cancellationToken);
        services.GetRequiredService<CheckScheduler>().RequestRun(monitorId, LocationConfig.Local);
        return TypedResults.Text("OK\n");
    }
}
