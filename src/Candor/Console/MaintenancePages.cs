using System.Globalization;
using Candor.Configuration;
using Candor.Maintenance;
using Candor.Notifications;
using Candor.Storage;

namespace Candor.AdminConsole;

/// <summary>What a person typed into the form that schedules a window, kept when the form comes back to them.</summary>
internal sealed record MaintenanceForm
{
    public string Title { get; init; } = "";

    public string Body { get; init; } = "";

    public IReadOnlyList<string> Components { get; init; } = [];

    /// <summary>As a datetime-local field sends it: 2026-12-01T01:00.</summary>
    public string Starts { get; init; } = "";

    public string TimeZone { get; init; } = "";

    public string Duration { get; init; } = "";

    public string Grace { get; init; } = "";

    public string VerifyFor { get; init; } = "";
}

/// <summary>
/// `/admin/maintenance`: the windows under way, ahead and past, the config's recurring ones, scheduling a window,
/// and a page per window with its timeline and the forms that start, complete, extend or cancel it. Every action
/// goes through the <see cref="MaintenanceGuard"/> as the API's do, so the console allows exactly what the API
/// allows (config windows included); the page only reports what the guard said.
/// </summary>
public static class MaintenancePages
{
    /// <summary>Past windows shown, as many as the API lists.</summary>
    private const int Recent = 50;

    private static readonly string[] DateTimeLocal = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["created"] = "The window is scheduled, and the subscribers of its components are told.",
        ["started"] = "The maintenance has started: its components show as under maintenance.",
        ["completed"] = "The work is marked done: Candor is verifying that the components are healthy.",
        ["extended"] = "The window is extended, and its subscribers are told of the new end.",
        ["cancelled"] = "The window is cancelled, and its subscribers are told.",
    };

    public static void MapMaintenancePages(this RouteGroupBuilder console)
    {
        console.MapGet("/maintenance", ListAsync);
        console.MapGet("/maintenance/new", (HttpContext http, CandorConfig config) =>
            NewForm(ConsoleView.For(http), config, new MaintenanceForm { TimeZone = config.Page.TimeZone }, null))
            .RequireAuthorization(ConsoleAuth.Responder);
        console.MapPost("/maintenance", CreateAsync).RequireAuthorization(ConsoleAuth.Responder);
        console.MapGet("/maintenance/{id}", (HttpContext http, string id, string? done, CancellationToken cancellationToken) =>
            RenderAsync(ConsoleView.For(http), id, null, Notices.GetValueOrDefault(done ?? ""), StatusCodes.Status200OK, cancellationToken));
        console.MapPost("/maintenance/{id}/start", (HttpContext http, string id, MaintenanceGuard guard, TimeProvider clock, CancellationToken cancellationToken) =>
            ActAsync(ConsoleView.For(http), id, "started", user => guard.StartAsync(id, user, clock.StoredNow(), cancellationToken), cancellationToken))
            .RequireAuthorization(ConsoleAuth.Responder);
        console.MapPost("/maintenance/{id}/complete", (HttpContext http, string id, MaintenanceGuard guard, TimeProvider clock, CancellationToken cancellationToken) =>
            ActAsync(ConsoleView.For(http), id, "completed", user => guard.CompleteAsync(id, user, clock.StoredNow(), cancellationToken), cancellationToken))
            .RequireAuthorization(ConsoleAuth.Responder);
        console.MapPost("/maintenance/{id}/extend", ExtendAsync).RequireAuthorization(ConsoleAuth.Responder);
        console.MapPost("/maintenance/{id}/cancel", CancelAsync).RequireAuthorization(ConsoleAuth.Responder);
    }

    /// <summary>The components' names, as people know them.</summary>
    internal static string ComponentNames(IEnumerable<string> ids, CandorConfig config) =>
        string.Join(", ", ids.Select(id => config.Components.FirstOrDefault(c => c.Id == id)?.Name ?? id));

    private static async Task<IResult> ListAsync(
        HttpContext http, ICandorStore store, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var windows = await store.GetMaintenanceWindowsAsync(Recent, cancellationToken);
        var html = new HtmlWriter();
        html.Append($"<h1>Maintenance</h1>");
        if (view.May(ApiRole.Responder))
        {
            html.Append($"<p><a href=\"{ConsoleRoutes.NewMaintenance}\">Schedule maintenance</a></p>");
        }

        html.Append(Section("under-way", "Under way", windows.Where(w => w.IsActive), "No maintenance is under way.", config));
        html.Append(Section("upcoming", "Upcoming", windows.Where(w => w.State == MaintenanceState.Scheduled), "No maintenance is scheduled.", config));
        html.Append(Recurring(config, windows, clock.GetUtcNow()));
        html.Append(Section("recent", "Recent", windows.Where(w => w.IsOver), "No maintenance has ended yet.", config));
        return ConsolePages.Page(view, "Maintenance", html.ToMarkup());
    }

    private static Markup Section(string id, string heading, IEnumerable<MaintenanceWindow> windows, string none, CandorConfig config)
    {
        var rows = windows.Select(w => Html.Of($"""
            <tr data-window="{w.Id}"><td><a href="{ConsoleRoutes.MaintenanceWindow(w.Id)}">{w.Title}</a>{Recurrence(w, config)}</td><td>{ComponentNames(w.ComponentIds, config)}</td><td>{State(w)}</td><td>{Times(ZoneOf(w), w.ScheduledFor, w.ScheduledUntil)}</td></tr>
            """)).ToList();
        return Html.Of($"""
            <section aria-labelledby="{id}"><h2 id="{id}">{heading}</h2>
            {(rows.Count == 0 ? Html.Of($"<p class=\"muted\">{none}</p>") : Html.Of($"""
                <table><thead><tr><th>Window</th><th>Components</th><th>State</th><th>Scheduled (UTC)</th></tr></thead>
                <tbody>{Html.Join(rows)}</tbody></table>
                """))}</section>
            """);
    }

    /// <summary>The config's recurring windows, each with its next start; that occurrence links to its window once scheduled.</summary>
    private static Markup Recurring(CandorConfig config, IReadOnlyList<MaintenanceWindow> windows, DateTimeOffset now)
    {
        var rows = config.Maintenance.Where(m => m.Cron is not null).Select(entry =>
        {
            var cron = entry.Cron!;
            var zone = entry.Zone(config.Page);
            var next = cron.Next(now, zone);
            var when = Times(zone, next);
            var window = windows.FirstOrDefault(w => w.ConfigId == entry.Id && w.ScheduledFor == next);
            return Html.Of($"""
                <tr data-recurring="{entry.Id}"><td>{entry.Title}</td><td>{ComponentNames(entry.Components, config)}</td><td><code>{cron.Text}</code> in {zone.Id}, for {Duration.Format(entry.Duration)}</td><td>{(window is null ? when : Html.Of($"<a href=\"{ConsoleRoutes.MaintenanceWindow(window.Id)}\">{when}</a>"))}</td></tr>
                """);
        }).ToList();
        return rows.Count == 0 ? Markup.Empty : Html.Of($"""
            <section aria-labelledby="recurring"><h2 id="recurring">Recurring</h2>
            <p class="muted">From the config. Each occurrence is scheduled, and announced, a week ahead.</p>
            <table><thead><tr><th>Window</th><th>Components</th><th>When</th><th>Next occurrence (UTC)</th></tr></thead>
            <tbody>{Html.Join(rows)}</tbody></table></section>
            """);
    }

    private static Markup Recurrence(MaintenanceWindow window, CandorConfig config) =>
        config.Maintenance.FirstOrDefault(m => m.Id == window.ConfigId) is { Cron: { } cron } entry
            ? Html.Of($"<br><span class=\"muted\">recurring: <code>{cron.Text}</code> in {entry.Zone(config.Page).Id}</span>")
            : Markup.Empty;

    private static Markup State(MaintenanceWindow window) => Html.Of($"""
        <span class="status {ConsolePages.Snake(window.State)}">{ConsolePages.Words(window.State)}</span>{(window.IncidentId is { } incident ? Html.Of($"<br><a href=\"{ConsoleRoutes.Incident(incident)}\">the incident it opened</a>") : Markup.Empty)}
        """);

    private static TimeZoneInfo? ZoneOf(MaintenanceWindow window) =>
        window.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    /// <summary>In UTC, as everywhere in the console, and again in the window's own zone where it has one other than UTC.</summary>
    private static Markup Times(TimeZoneInfo? zone, DateTimeOffset from, DateTimeOffset? until = null)
    {
        var utc = until is { } end ? $"{ConsolePages.Time(from)} to {ConsolePages.Time(end)}" : ConsolePages.Time(from);
        if (zone is null || zone.HasSameRules(TimeZoneInfo.Utc))
        {
            return Html.Of($"{utc}");
        }

        var local = new PageTime(zone);
        var there = until is { } last ? $"{local.Format(from)} to {local.Format(last)}" : local.Format(from);
        return Html.Of($"{utc}<br><span class=\"muted zone\">{there}</span>");
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, MaintenanceGuard guard, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var typed = new MaintenanceForm
        {
            Title = form["title"].ToString().Trim(),
            Body = form["body"].ToString(),
            Components = [.. form["components"].OfType<string>()],
            Starts = form["starts"].ToString().Trim(),
            TimeZone = form["time_zone"].ToString(),
            Duration = form["duration"].ToString().Trim(),
            Grace = form["grace"].ToString().Trim(),
            VerifyFor = form["verify_for"].ToString().Trim(),
        };
        if (!DateTime.TryParseExact(typed.Starts, DateTimeLocal, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return NewForm(view, config, typed, typed.Starts.Length == 0
                ? "Choose when the work starts."
                : $"'{typed.Starts}' is not a date and time: pick one, e.g. 2026-12-01 01:00.");
        }

        try
        {
            var window = await guard.ScheduleAsync(
                new CreateMaintenanceRequest
                {
                    Title = typed.Title,
                    Body = typed.Body.Trim(),
                    Components = typed.Components,
                    Starts = MaintenancePlanning.StartsAt(local, typed.TimeZone),
                    Duration = typed.Duration,
                    Grace = typed.Grace,
                    VerifyFor = typed.VerifyFor,
                    TimeZone = typed.TimeZone,
                },
                view.UserName!,
                clock.StoredNow(),
                cancellationToken);
            return Results.Redirect($"{ConsoleRoutes.MaintenanceWindow(window.Id)}?done=created");
        }
        catch (MaintenanceRefusedException refusal)
        {
            return NewForm(view, config, typed, Sentence(refusal.Message));
        }
    }

    private static IResult NewForm(ConsoleView view, CandorConfig config, MaintenanceForm typed, string? problem)
    {
        var components = Html.Join(config.Components.Select(c => Html.Of(
            $"<label class=\"check\"><input type=\"checkbox\" name=\"components\" value=\"{c.Id}\"{(typed.Components.Contains(c.Id) ? new Markup(" checked") : Markup.Empty)}> {c.Name}</label>")));
        var zones = Html.Join(TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id != "UTC").Order(StringComparer.Ordinal).Prepend("UTC")
            .Select(id => Html.Of($"<option value=\"{id}\"{(id == typed.TimeZone ? new Markup(" selected") : Markup.Empty)}>{id}</option>")));
        return ConsolePages.Page(view, "Schedule maintenance", Html.Of($"""
            <p class="crumbs"><a href="{ConsoleRoutes.Maintenance}">Maintenance</a></p>
            <h1>Schedule maintenance</h1>
            <p class="muted">The subscribers of the chosen components are told now, reminded before it starts, and told when it starts and ends. Checks go on inside the window and its failures open no incident; but if the components are not healthy again within the grace after it, the maintenance fails and an incident opens.</p>
            {(problem is null ? Markup.Empty : Html.Of($"<p class=\"alert\" role=\"alert\">{problem}</p>"))}
            <form class="stack" method="post" action="{ConsoleRoutes.Maintenance}">
            {view.TokenField}
            <label>Title (public) <input name="title" required value="{typed.Title}"></label>
            <label>Description (Markdown; public) <textarea name="body" rows="4">{typed.Body}</textarea></label>
            <fieldset><legend>Components</legend>{components}</fieldset>
            <label>Starts <input type="datetime-local" name="starts" required value="{typed.Starts}"></label>
            <label>Time zone of the start <select name="time_zone">{zones}</select></label>
            <label>Duration, e.g. 2h or 90m <input name="duration" required value="{typed.Duration}"></label>
            <label>Grace after the end (optional; 10m when empty) <input name="grace" value="{typed.Grace}"></label>
            <label>Verify for (optional; {Duration.Format(config.Incidents.VerifyFor)} when empty) <input name="verify_for" value="{typed.VerifyFor}"></label>
            <button type="submit">Schedule maintenance</button>
            </form>
            """), problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ExtendAsync(
        HttpContext http, string id, MaintenanceGuard guard, ICandorStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var by = form["by"].ToString().Trim();
        if (!Duration.TryParse(by, out var span) || span <= TimeSpan.Zero)
        {
            return await RenderAsync(view, id, $"Not extended: '{by}' is not a duration to extend by; {Duration.Hint}.", null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        // The API takes the new end; a person thinks in how much longer the work needs.
        return await store.GetMaintenanceWindowAsync(id, cancellationToken) is { } window
            ? await ActAsync(view, id, "extended", user => guard.ExtendAsync(id, window.ScheduledUntil + span, user, clock.StoredNow(), cancellationToken), cancellationToken)
            : ConsolePages.NotFound(view, $"No maintenance window has the id '{id}'.");
    }

    private static async Task<IResult> CancelAsync(
        HttpContext http, string id, MaintenanceGuard guard, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (form["confirm"] != "on")
        {
            return await RenderAsync(view, id, "Not cancelled: tick the box to confirm, as cancelling tells the subscribers and cannot be undone.", null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        return await ActAsync(view, id, "cancelled", user => guard.CancelAsync(id, user, clock.StoredNow(), cancellationToken), cancellationToken);
    }

    /// <summary>Does what the guard allows and shows the window again; a refusal comes back with the guard's reason.</summary>
    /// <param name="done">What the action did, as its notice is keyed and its refusal worded: "started", "cancelled".</param>
    private static async Task<IResult> ActAsync(
        ConsoleView view, string id, string done, Func<string, Task<MaintenanceWindow>> act, CancellationToken cancellationToken)
    {
        try
        {
            await act(view.UserName!);
            return Results.Redirect($"{ConsoleRoutes.MaintenanceWindow(id)}?done={done}");
        }
        catch (MaintenanceRefusedException refusal) when (refusal.NotFound)
        {
            // The guard holds only windows that are not over; the store says whether this one ended or never was.
            var store = view.Http.RequestServices.GetRequiredService<ICandorStore>();
            return await store.GetMaintenanceWindowAsync(id, cancellationToken) is { } window
                ? await RenderAsync(view, id, $"Not {done}: this window is {ConsolePages.Words(window.State)} already, and a window that is over does not change.", null, StatusCodes.Status409Conflict, cancellationToken)
                : ConsolePages.NotFound(view, $"No maintenance window has the id '{id}'.");
        }
        catch (MaintenanceRefusedException refusal)
        {
            return await RenderAsync(view, id, $"Not {done}: {refusal.Message}.", null, StatusCodes.Status409Conflict, cancellationToken);
        }
    }

    private static async Task<IResult> RenderAsync(
        ConsoleView view, string id, string? error, string? notice, int status, CancellationToken cancellationToken)
    {
        var services = view.Http.RequestServices;
        var store = services.GetRequiredService<ICandorStore>();
        var window = await store.GetMaintenanceWindowAsync(id, cancellationToken);
        if (window is null)
        {
            return ConsolePages.NotFound(view, $"No maintenance window has the id '{id}'.");
        }

        var config = services.GetRequiredService<CandorConfig>();
        var events = await store.GetMaintenanceEventsAsync(id, cancellationToken);
        var markdown = services.GetRequiredService<MarkdownText>();
        var html = new HtmlWriter();
        html.Append($"""
            <p class="crumbs"><a href="{ConsoleRoutes.Maintenance}">Maintenance</a></p>
            <h1>{window.Title}</h1>
            """);
        if (notice is not null)
        {
            html.Append($"<p class=\"notice\" role=\"status\">{notice}</p>");
        }

        if (error is not null)
        {
            html.Append($"<p class=\"alert\" role=\"alert\">{error}</p>");
        }

        html.Append(Summary(window, events, config));
        if (window.Body.Length > 0)
        {
            html.Append($"""
                <section aria-labelledby="description"><h2 id="description">Description</h2><div class="markdown">{markdown.Render(window.Body)}</div></section>
                """);
        }

        if (!window.IsOver)
        {
            html.Append(view.May(ApiRole.Responder)
                ? Actions(view, window, config)
                : Html.Of($"<p class=\"muted\">You can read this window; starting, completing, extending and cancelling it need the responder role.</p>"));
        }

        html.Append(Timeline(events, markdown));
        return ConsolePages.Page(view, window.Title, html.ToMarkup(), status);
    }

    private static Markup Summary(MaintenanceWindow window, IReadOnlyList<MaintenanceEvent> events, CandorConfig config)
    {
        var zone = ZoneOf(window);
        var source = config.Maintenance.FirstOrDefault(m => m.Id == window.ConfigId) switch
        {
            { Cron: { } cron } entry => Html.Of($"the config's recurring window '{entry.Id}': <code>{cron.Text}</code> in {entry.Zone(config.Page).Id}"),
            { } entry => Html.Of($"the config's window '{entry.Id}'"),
            null => Html.Of($"scheduled by {events.FirstOrDefault(e => e.Kind == MaintenanceEventKind.Scheduled)?.Actor ?? "a person"} at {ConsolePages.Time(window.CreatedAt)}"),
        };
        Markup When(string label, DateTimeOffset? at) =>
            at is { } time ? Html.Of($"<dt>{label}</dt><dd>{Times(zone, time)}</dd>") : Markup.Empty;
        var incident = window.IncidentId is { } incidentId
            ? Html.Of($"<dt>Incident</dt><dd><a href=\"{ConsoleRoutes.Incident(incidentId)}\">the incident it opened</a></dd>")
            : Markup.Empty;
        return Html.Of($"""
            <dl class="summary">
            <dt>State</dt><dd><span class="status {ConsolePages.Snake(window.State)}" id="window-state">{ConsolePages.Words(window.State)}</span></dd>
            <dt>Components</dt><dd>{ComponentNames(window.ComponentIds, config)}</dd>
            <dt>Scheduled</dt><dd>{Times(zone, window.ScheduledFor, window.ScheduledUntil)}</dd>
            <dt>From</dt><dd>{source}</dd>
            <dt>Grace</dt><dd>{Duration.Format(window.Grace)} after the end to be healthy again</dd>
            <dt>Verify for</dt><dd>{Duration.Format(window.VerifyFor)} healthy at every location to complete</dd>
            {When("Started", window.StartedAt)}{When("Work ended", window.EndedAt)}{When("Healthy since", window.HealthySince)}{When(window.State == MaintenanceState.Failed ? "Failed" : "Completed", window.CompletedAt)}{When("First failure inside", window.FirstFailureAt)}{incident}
            </dl>
            """);
    }

    /// <summary>The forms the window's state allows; an action the state does not allow is refused by the guard all the same.</summary>
    private static Markup Actions(ConsoleView view, MaintenanceWindow window, CandorConfig config)
    {
        var path = ConsoleRoutes.MaintenanceWindow(window.Id);
        var names = ComponentNames(window.ComponentIds, config);
        var html = new HtmlWriter();
        html.Append($"""<section class="panel" aria-labelledby="actions"><h2 id="actions">Act on this window</h2>""");
        switch (window.State)
        {
            case MaintenanceState.Scheduled:
                html.Append($"""
                    <form class="stack" method="post" action="{path}/start">{view.TokenField}
                    <p>Start the work now, ahead of {ConsolePages.Time(window.ScheduledFor)}: {names} show as under maintenance, and subscribers are told it has started.</p>
                    <button type="submit">Start now</button></form>
                    """);
                break;
            case MaintenanceState.InProgress:
                html.Append($"""
                    <form class="stack" method="post" action="{path}/complete">{view.TokenField}
                    <p>The work is done, ahead of {ConsolePages.Time(window.ScheduledUntil)} or on time: Candor then verifies that every location sees {names} healthy within {Duration.Format(window.Grace)}, and for {Duration.Format(window.VerifyFor)}.</p>
                    <button type="submit">Complete now</button></form>
                    """);
                break;
            default:
                html.Append($"<p>{(window.HealthySince is { } since
                    ? $"The work is done, and every location has seen {names} healthy since {ConsolePages.Time(since)}: the window completes at {ConsolePages.Time(since + window.VerifyFor)} if they stay so."
                    : $"The work is done. Candor is waiting for every location to see {names} healthy; if they are not by {ConsolePages.Time(window.EndedAt + window.Grace)}, the maintenance fails and an incident opens.")}</p>");
                break;
        }

        if (window.State is MaintenanceState.Scheduled or MaintenanceState.InProgress)
        {
            html.Append($"""
                <form class="row" method="post" action="{path}/extend">{view.TokenField}
                <label>Extend by, e.g. 30m <input name="by" required></label>
                <button type="submit">Extend</button>
                </form>
                <p class="muted">It now ends at {ConsolePages.Time(window.ScheduledUntil)}; subscribers are told of the new end.</p>
                """);
        }

        if (window.State == MaintenanceState.Scheduled)
        {
            html.Append($"""
                <form class="stack" method="post" action="{path}/cancel">{view.TokenField}
                <p>Cancelling tells the subscribers of {names} that this maintenance will not happen. It cannot be undone; a window that has started is completed instead.</p>
                <label class="check"><input type="checkbox" name="confirm" required> Yes, cancel this maintenance and tell its subscribers</label>
                <button type="submit" class="secondary">Cancel maintenance</button>
                </form>
                """);
        }

        html.Append($"</section>");
        return html.ToMarkup();
    }

    /// <summary>
    /// The window's events, newest first; its failures inside the window are for responders only. Candor's sentences
    /// carry the window's Markdown description, so they are rendered as Markdown too.
    /// </summary>
    private static Markup Timeline(IReadOnlyList<MaintenanceEvent> events, MarkdownText markdown) => Html.Of($"""
        <section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
        <ol class="timeline" reversed>{Html.Join(events.Reverse().Select(e => Html.Of($"""
            <li class="event event-{ConsolePages.Snake(e.Kind)}"><p class="meta"><time>{ConsolePages.Time(e.At)}</time> <strong>{ConsolePages.Words(e.Kind)}</strong> <span class="status {ConsolePages.Snake(e.State)}">{ConsolePages.Words(e.State)}</span> by {e.Actor}{(e.Public ? Markup.Empty : new Markup(" <span class=\"tag\">internal</span>"))}</p>
            <div class="markdown">{markdown.Render(e.Body)}</div></li>
            """)))}</ol></section>
        """);

    /// <summary>The guard's words as a sentence on a page.</summary>
    private static string Sentence(string words) =>
        char.ToUpperInvariant(words[0]) + words[1..] + (words.EndsWith('.') ? "" : ".");
}
