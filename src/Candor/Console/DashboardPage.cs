using Candor.Configuration;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Monitoring.State;
using Candor.Storage;

namespace Candor.AdminConsole;

/// <summary>
/// `GET /admin`: every monitor with its state at each location, its last result (a failed one names the failed
/// condition with the value it saw), and its response time over the last hour; filtered by component and state
/// through the query string, so a filtered view is a link to share.
/// </summary>
public static class DashboardPage
{
    private static readonly TimeSpan SparkSpan = TimeSpan.FromHours(1);

    public static void MapDashboard(this RouteGroupBuilder console) => console.MapGet("/", RenderAsync);

    private static async Task<IResult> RenderAsync(
        HttpContext http,
        string? component,
        string? state,
        CandorConfig config,
        MonitorStateTracker tracker,
        ICandorStore store,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var now = clock.GetUtcNow();
        var snapshot = tracker.Snapshot(now);
        MonitorStatus? wanted = ConsolePages.TryParse<MonitorStatus>(state, out var parsed) ? parsed : null;
        var shown = config.Components.Any(c => c.Id == component) ? component : null;

        var html = new HtmlWriter();
        html.Append($"<h1>Dashboard</h1>");
        IReadOnlyList<MaintenanceWindow> maintenance = [.. (await store.GetMaintenanceWindowsAsync(0, cancellationToken)).Where(w => w.IsActive)];
        html.Append(OpenIncidents(await store.GetOpenIncidentsAsync(cancellationToken)));
        html.Append(MaintenanceUnderWay(maintenance, config));
        html.Append(Components(snapshot, maintenance));
        html.Append($"""
            <h2 id="monitors">Monitors</h2>
            <form class="filters" method="get" action="{ConsoleRoutes.Root}">
            <label>Component <select name="component"><option value="">All</option>{Html.Join(config.Components.Select(c =>
                Html.Of($"<option value=\"{c.Id}\"{Selected(c.Id == shown)}>{c.Name}</option>")))}</select></label>
            <label>State <select name="state"><option value="">All</option>{ConsolePages.Options(Enum.GetValues<MonitorStatus>(), wanted)}</select></label>
            <button type="submit">Filter</button>
            </form>
            """);

        var monitors = snapshot.Components
            .Where(c => shown is null || c.Component.Id == shown)
            .SelectMany(c => c.Monitors.Select(m => (c.Component, Monitor: m)))
            .Where(x => wanted is null || x.Monitor.Status == wanted)
            .ToList();
        if (monitors.Count == 0)
        {
            html.Append($"<p class=\"muted\">No monitor matches this filter.</p>");
            return ConsolePages.Page(view, "Dashboard", html.ToMarkup());
        }

        html.Append($"""
            <table class="monitors"><thead><tr><th>Monitor</th><th>Component</th><th>Status</th><th>Locations</th><th>Response time, last hour</th></tr></thead><tbody>
            """);
        var minutes = await MinutesByMonitorAsync(store, now - SparkSpan, now, cancellationToken);
        foreach (var (owner, monitor) in monitors)
        {
            html.Append($"""
                <tr data-monitor="{monitor.Monitor.Id}"><td><strong>{monitor.Monitor.Name ?? monitor.Monitor.Id}</strong><br><span class="muted">{monitor.Monitor.Type} {monitor.Monitor.Target}</span></td>
                <td>{owner.Name}</td>
                <td><span class="status {ConsolePages.Snake(monitor.Status)}">{ConsolePages.Words(monitor.Status)}</span></td>
                <td><ul class="locations">{Html.Join(monitor.Locations.Select(Location))}</ul></td>
                <td>{Sparkline.Render(minutes.GetValueOrDefault(monitor.Monitor.Id, []), now - SparkSpan, now)}</td></tr>
                """);
        }

        html.Append($"</tbody></table>");
        return ConsolePages.Page(view, "Dashboard", html.ToMarkup());
    }

    /// <summary>The minutes of every monitor in one read: a read per monitor would go over the same minutes each time.</summary>
    private static async Task<Dictionary<string, List<RollupSpan>>> MinutesByMonitorAsync(
        ICandorStore store, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var minutes = new Dictionary<string, List<RollupSpan>>(StringComparer.Ordinal);
        await foreach (var minute in store.ReadMinuteRollupsAsync(from, to, cancellationToken))
        {
            if (!minutes.TryGetValue(minute.MonitorId, out var ofMonitor))
            {
                minutes[minute.MonitorId] = ofMonitor = [];
            }

            ofMonitor.Add(minute);
        }

        return minutes;
    }

    private static Markup OpenIncidents(IReadOnlyList<Incident> open) =>
        open.Count == 0
            ? Html.Of($"<p class=\"ok\">No open incident.</p>")
            : Html.Of($"""
                <h2>Open incidents</h2>
                <ul class="incidents">{Html.Join(open.Select(i => Html.Of(
                    $"<li><a href=\"{ConsoleRoutes.Incident(i.Id)}\">{i.Name}</a> <span class=\"status {ConsolePages.Snake(i.Status)}\">{ConsolePages.Words(i.Status)}</span> <span class=\"muted\">{ConsolePages.Words(i.Impact)} impact, since {ConsolePages.Time(i.StartedAt)}</span></li>")))}</ul>
                """);

    /// <summary>
    /// Windows under way, so that a responder who sees their components fail knows why no incident opened, and what
    /// happens when the work ends.
    /// </summary>
    private static Markup MaintenanceUnderWay(IReadOnlyList<MaintenanceWindow> active, CandorConfig config) =>
        active.Count == 0
            ? Markup.Empty
            : Html.Of($"""
                <section class="panel maintenance" aria-labelledby="under-maintenance"><h2 id="under-maintenance">Maintenance under way</h2>
                <ul class="incidents">{Html.Join(active.Select(w => Html.Of(
                    $"<li><a href=\"{ConsoleRoutes.MaintenanceWindow(w.Id)}\">{w.Title}</a> <span class=\"status {ConsolePages.Snake(w.State)}\">{ConsolePages.Words(w.State)}</span> <span class=\"muted\">{MaintenancePages.ComponentNames(w.ComponentIds, config)}, until {ConsolePages.Time(w.ScheduledUntil)}</span></li>")))}</ul>
                <p>Checks go on, but failures of these components open no incident while the work goes on. Once it ends they must be healthy again within the window's grace, or the maintenance fails and an incident opens.</p></section>
                """);

    private static Markup Components(StatusSnapshot snapshot, IReadOnlyList<MaintenanceWindow> maintenance) => Html.Of($"""
        <h2>Components</h2>
        <ul class="components">{Html.Join(snapshot.Components.Select(c => Html.Of(
            $"<li><a href=\"{ConsoleRoutes.Root}?component={Html.Segment(c.Component.Id)}#monitors\">{c.Component.Name}</a> <span class=\"status {ConsolePages.Snake(c.State.Status)}\">{ConsolePages.Words(c.State.Status)}</span>{InMaintenance(c.Component.Id, maintenance)}</li>")))}</ul>
        """);

    private static Markup InMaintenance(string componentId, IReadOnlyList<MaintenanceWindow> maintenance) =>
        maintenance.FirstOrDefault(w => w.ComponentIds.Contains(componentId)) is { } window
            ? Html.Of($" <a class=\"tag\" href=\"{ConsoleRoutes.MaintenanceWindow(window.Id)}\">maintenance: {window.Title}</a>")
            : Markup.Empty;

    private static Markup Location(LocationView location)
    {
        var state = location.State;
        var status = location.Silent && state.LastCheckedAt is not null
            ? Html.Of($"<span class=\"status silent\">silent</span>")
            : Html.Of($"<span class=\"status {ConsolePages.Snake(state.Status)}\">{ConsolePages.Words(state.Status)}</span>");
        var last = state.LastResult is { } r
            ? Html.Of($"""
                <br><span class="muted">last check {ConsolePages.Time(r.StartedAt)}: {ConsolePages.Words(r.Outcome)} in {r.Duration.TotalMilliseconds:0} ms</span>{(r.Message is null ? Markup.Empty : Html.Of($"<br><code class=\"why\">{r.Message}</code>"))}
                """)
            : Html.Of($"<br><span class=\"muted\">no check yet</span>");
        var failing = state.FailingSince is { } since
            ? Html.Of($", failing since {ConsolePages.Time(since)} ({state.ConsecutiveFailures} in a row)")
            : Markup.Empty;
        return Html.Of($"<li><strong>{state.LocationId}</strong> {status} <span class=\"muted\">since {ConsolePages.Time(state.StatusSince)}{failing}</span>{last}</li>");
    }

    private static Markup Selected(bool selected) => selected ? new Markup(" selected") : Markup.Empty;
}
