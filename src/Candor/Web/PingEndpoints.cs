using System.Text;
using Candor.Configuration;
using Candor.Monitoring.Checks.Smtp;
using Candor.Monitoring.Scheduling;
using Candor.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Web;

/// <summary>
/// `/ping/{token}`, `/ping/{token}/fail`, `/ping/{token}/start`: what a job calls to say it ran. The ping is
/// stored first, then the heartbeat is judged at once, so a failure signal does not wait for the next slot.
/// A success ping also reports every mail probe token (see <see cref="SmtpSettings"/>) found in its `probe`
/// query value or its POST body, so that a mail pipeline can pass on the subject or the whole ticket as it is.
/// </summary>
public static class PingEndpoints
{
    /// <summary>Enough for a ticket with its headers; a probe token further down a larger body is not looked for.</summary>
    private const int MaxScannedBody = 64 * 1024;

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
        var now = clock.StoredNow();
        if (kind == PingKind.Success)
        {
            var text = $"{http.Request.Query["probe"]}\n{await ReadBodyAsync(http.Request, cancellationToken)}";
            foreach (var probe in ProbeTokens.FindIn(text))
            {
                await store.RecordMailProbeDeliveryAsync(monitorId, probe, now, cancellationToken);
            }
        }

        await store.RecordPingAsync(new HeartbeatPing(monitorId, kind, now, source), cancellationToken);
        services.GetRequiredService<CheckScheduler>().RequestRun(monitorId, LocationConfig.Local);
        return TypedResults.Text("OK\n");
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return "";
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var buffer = new char[MaxScannedBody];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return new string(buffer, 0, read);
    }
}
