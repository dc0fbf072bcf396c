using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.State;

namespace Candor.Web;

/// <summary>
/// The minimal public page: every component with its status, and each monitor's latest result at every
/// location. Plain server-rendered HTML that works without JavaScript.
/// </summary>
public static class StatusPage
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
        table{border-collapse:collapse;width:100%;margin-bottom:2rem}
        th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}
        .operational,.up{color:#1a7f37}.degraded_performance,.degraded{color:#9a6700}
        .partial_outage,.major_outage,.down{color:#cf222e}.unknown,.silent{color:#57606a}
        @media (prefers-color-scheme: dark){body{background:#0d1117;color:#e6edf3}th,td{border-color:#30363d}}
        """;

    public static void MapStatusPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/", (CandorConfig config, MonitorStateTracker tracker, TimeProvider clock) =>
            TypedResults.Content(Render(config, tracker.Snapshot(clock.GetUtcNow())), "text/html; charset=utf-8"));

    public static string Render(CandorConfig config, StatusSnapshot snapshot)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        var title = html.Encode(config.Page.Name);
        page.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title}</title>
            <style>{Style}</style></head>
            <body><h1>{title}</h1>
            <table><caption>Components</caption><thead><tr><th>Component</th><th>Status</th></tr></thead><tbody>

            """);
        foreach (var component in snapshot.Components)
        {
            var status = Snake(component.State.Status);
            page.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{html.Encode(component.Component.Name)}</td><td class="{status}">{Words(status)}</td></tr>

                """);
        }

        page.Append("""
            </tbody></table>
            <table><caption>Monitors</caption><thead><tr><th>Monitor</th><th>Location</th><th>Status</th><th>Last check</th><th>Result</th></tr></thead><tbody>

            """);
        foreach (var monitor in snapshot.Components.SelectMany(c => c.Monitors))
        {
            foreach (var location in monitor.Locations)
            {
                var state = location.State;
                var status = location.Silent && state.LastCheckedAt is not null ? "silent" : Snake(state.Status);
                var last = state.LastCheckedAt?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";
                var result = state.LastResult is { } r
                    ? $"{Snake(r.Outcome)} in {r.Duration.TotalMilliseconds:0} ms{(r.Message is null ? "" : ": " + r.Message)}"
                    : "";
                page.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td>{html.Encode(monitor.Monitor.Name ?? monitor.Monitor.Id)}</td><td>{html.Encode(state.LocationId)}</td><td class="{status}">{status}</td><td>{last}</td><td>{html.Encode(result)}</td></tr>

                    """);
            }
        }

        page.Append(CultureInfo.InvariantCulture, $"""
            </tbody></table>
            <p>Times are UTC. Page built at {snapshot.At:yyyy-MM-dd HH:mm:ss'Z'}.</p>
            </body></html>

            """);
        return page.ToString();
    }

    private static string Snake<T>(T value)
        where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static string Words(string snake) =>
        CultureInfo.InvariantCulture.TextInfo.ToTitleCase(snake.Replace('_', ' '));
}
