using Candor.Configuration;
using Candor.Incidents;
using Candor.Notifications;
using Candor.Storage;

namespace Candor.AdminConsole;

/// <summary>What a person typed into the war room's forms, kept when the page comes back to them.</summary>
internal sealed record WarRoomForms
{
    public static readonly WarRoomForms None = new();

    public string? Error { get; init; }

    public IncidentStatus? UpdateStatus { get; init; }

    public string UpdateBody { get; init; } = "";

    public string CustomerAction { get; init; } = "";

    public Markup? Preview { get; init; }

    /// <summary>Why the last attempt to resolve was refused.</summary>
    public VerificationVerdict? Refusal { get; init; }

    public bool Override { get; init; }

    public string Reason { get; init; } = "";
}

/// <summary>
/// `/admin/incidents/{id}`: the war room. The timeline, including what only responders see; who holds the roles;
/// what verification still lacks; who was told, and when; and the forms that act on the incident. Every action
/// goes through the <see cref="IncidentEngine"/>, whose rules decide; the page only reports what it said.
/// </summary>
public static class WarRoomPage
{
    private static readonly IncidentStatus[] UpdateStatuses = [IncidentStatus.Investigating, IncidentStatus.Identified, IncidentStatus.Monitoring];

    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["created"] = "The incident is open.",
        ["update"] = "Your update is posted.",
        ["role"] = "The role is assigned.",
        ["impact"] = "The impact is set.",
        ["resolved"] = "The incident is resolved.",
        ["already-resolved"] = "This incident was already resolved.",
    };

    public static void MapWarRoom(this RouteGroupBuilder console)
    {
        console.MapGet("/incidents/{id}", (HttpContext http, string id, string? done, CancellationToken cancellationToken) =>
            RenderAsync(ConsoleView.For(http), id, WarRoomForms.None, Notices.GetValueOrDefault(done ?? ""), StatusCodes.Status200OK, cancellationToken));
        console.MapPost("/incidents/{id}/updates", PostUpdateAsync).RequireAuthorization(ConsoleAuth.Responder);
        console.MapPost("/incidents/{id}/roles", AssignRoleAsync).RequireAuthorization(ConsoleAuth.Responder);
        console.MapPost("/incidents/{id}/impact", SetImpactAsync).RequireAuthorization(ConsoleAuth.Responder);
        console.MapPost("/incidents/{id}/resolve", ResolveAsync).RequireAuthorization(ConsoleAuth.Responder);
    }

    private static async Task<IResult> PostUpdateAsync(
        HttpContext http, string id, IncidentEngine engine, MarkdownText markdown, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var body = form["body"].ToString();
        var action = form["customer_action"].ToString().Trim();
        var forms = new WarRoomForms
        {
            UpdateStatus = ConsolePages.TryParse<IncidentStatus>(form["status"], out var status) ? status : null,
            UpdateBody = body,
            CustomerAction = action,
        };
        if (forms.UpdateStatus is null || !UpdateStatuses.Contains(status))
        {
            return await RenderAsync(view, id, forms with { Error = "Choose the status this update sets." }, null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return await RenderAsync(view, id, forms with { Error = "Write the update: what is happening, and what comes next." }, null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (form["action"] == "preview")
        {
            return await RenderAsync(view, id, forms with { Preview = markdown.Render(body) }, null, StatusCodes.Status200OK, cancellationToken);
        }

        return await ActAsync(view, id, forms, "update", () => engine.PostUpdateAsync(
            id, status, body.Trim(), action.Length == 0 ? null : action, view.UserName!, clock.StoredNow(), cancellationToken), cancellationToken);
    }

    private static async Task<IResult> AssignRoleAsync(
        HttpContext http, string id, IncidentEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var name = form["name"].ToString().Trim();
        var contact = form["contact"].ToString().Trim();
        if (!ConsolePages.TryParse<IncidentRole>(form["role"], out var role) || name.Length == 0)
        {
            return await RenderAsync(view, id, new WarRoomForms { Error = "Choose a role and name the person who holds it." }, null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        return await ActAsync(view, id, WarRoomForms.None, "role", () => engine.AssignRoleAsync(
            id, role, new RoleHolder(name, contact.Length == 0 ? null : contact), view.UserName!, clock.StoredNow(), cancellationToken), cancellationToken);
    }

    private static async Task<IResult> SetImpactAsync(
        HttpContext http, string id, IncidentEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (!ConsolePages.TryParse<IncidentImpact>(form["impact"], out var impact))
        {
            return await RenderAsync(view, id, new WarRoomForms { Error = "Choose an impact." }, null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        return await ActAsync(view, id, WarRoomForms.None, "impact", () =>
            engine.SetImpactAsync(id, impact, view.UserName!, clock.StoredNow(), cancellationToken), cancellationToken);
    }

    /// <summary>A refusal is the page's main news: it comes back with the reasons, as a 409 like the API's.</summary>
    private static async Task<IResult> ResolveAsync(
        HttpContext http, string id, IncidentEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var forms = new WarRoomForms { Override = form["override"] == "on", Reason = form["reason"].ToString() };
        try
        {
            return await ActAsync(view, id, forms, "resolved", () => engine.ResolveAsync(
                id, forms.Override, forms.Reason, view.UserName!, clock.StoredNow(), cancellationToken), cancellationToken);
        }
        catch (IncidentRefusedException refusal) when (refusal.Kind == "unverified")
        {
            return await RenderAsync(view, id, forms with { Refusal = refusal.Verdict }, null, StatusCodes.Status409Conflict, cancellationToken);
        }
    }

    /// <summary>Does what the engine allows, then shows the incident again; a refusal comes back as the engine worded it.</summary>
    private static async Task<IResult> ActAsync(
        ConsoleView view, string id, WarRoomForms forms, string done, Func<Task<Incident>> act, CancellationToken cancellationToken)
    {
        try
        {
            await act();
            return Results.Redirect($"{ConsoleRoutes.Incident(id)}?done={done}");
        }
        catch (IncidentRefusedException refusal) when (refusal.Kind == "not-found")
        {
            var store = view.Http.RequestServices.GetRequiredService<ICandorStore>();
            return await store.GetIncidentAsync(id, cancellationToken) is { IsOpen: false }
                ? Results.Redirect($"{ConsoleRoutes.Incident(id)}?done=already-resolved")
                : ConsolePages.NotFound(view, $"No open incident has the id '{id}'.");
        }
        catch (IncidentRefusedException refusal) when (refusal.Kind == "invalid")
        {
            return await RenderAsync(view, id, forms with { Error = refusal.Message }, null, StatusCodes.Status400BadRequest, cancellationToken);
        }
    }

    private static async Task<IResult> RenderAsync(
        ConsoleView view, string id, WarRoomForms forms, string? notice, int status, CancellationToken cancellationToken)
    {
        var services = view.Http.RequestServices;
        var store = services.GetRequiredService<ICandorStore>();
        var incident = await store.GetIncidentAsync(id, cancellationToken);
        if (incident is null)
        {
            return ConsolePages.NotFound(view, $"No incident has the id '{id}'.");
        }

        var config = services.GetRequiredService<CandorConfig>();
        var markdown = services.GetRequiredService<MarkdownText>();
        var events = await store.GetIncidentEventsAsync(id, cancellationToken);
        var deliveries = await store.GetIncidentDeliveriesAsync(id, cancellationToken);
        var subscribers = deliveries.Any(d => d.RecipientKind == RecipientKind.Subscriber)
            ? (await store.GetSubscribersAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.Address)
            : [];
        var verdict = incident.IsOpen
            ? await services.GetRequiredService<IncidentEngine>().VerdictAsync(id, services.GetRequiredService<TimeProvider>().StoredNow(), cancellationToken)
            : null;
        var components = config.Components.ToDictionary(c => c.Id, c => c.Name);

        var html = new HtmlWriter();
        html.Append($"""
            <p class="crumbs"><a href="{ConsoleRoutes.Incidents}">Incidents</a></p>
            <h1>{incident.Name}</h1>
            """);
        if (notice is not null)
        {
            html.Append($"<p class=\"notice\" role=\"status\">{notice}</p>");
        }

        if (forms.Error is not null)
        {
            html.Append($"<p class=\"alert\" role=\"alert\">{forms.Error}</p>");
        }

        html.Append(Summary(incident, components, config.Incidents.VerifyFor));
        if (incident.IsOpen)
        {
            html.Append(VerificationPanel(incident, verdict));
        }

        if (incident.IsOpen && view.May(Storage.ApiRole.Responder))
        {
            html.Append(UpdateForm(view, incident, forms));
            html.Append(RolesForm(view, incident));
            html.Append(ResolveForm(view, incident, forms, verdict));
        }
        else if (incident.IsOpen)
        {
            html.Append($"<p class=\"muted\">You can read this incident; posting updates, assigning roles and resolving need the responder role.</p>");
        }

        html.Append(Timeline(events, markdown));
        html.Append(DeliveryLog(deliveries, events, subscribers));
        return ConsolePages.Page(view, incident.Name, html.ToMarkup(), status);
    }

    private static Markup Summary(Incident incident, Dictionary<string, string> components, TimeSpan verifyFor)
    {
        var names = string.Join(", ", incident.ComponentIds.Select(c => components.GetValueOrDefault(c, c)));
        var window = incident.ImpactStart is { } start
            ? Html.Of($"<dt>Impact window</dt><dd>{ConsolePages.Time(start)} to {(incident.ImpactEnd is { } end ? ConsolePages.Time(end) : "now (still failing)")}</dd>")
            : Markup.Empty;
        var verifying = incident.VerifyingSince is { } since
            ? Html.Of($"<dt>Verifying</dt><dd>since {ConsolePages.Time(since)}, until {ConsolePages.Time(since + verifyFor)} at the earliest</dd>")
            : Markup.Empty;
        var action = incident.CustomerAction is { } customerAction
            ? Html.Of($"<dt>Customer action</dt><dd>{customerAction}</dd>")
            : Markup.Empty;
        var cause = incident.MaintenanceId is { } maintenance
            ? Html.Of($"<dt>Suspected cause</dt><dd><a href=\"{ConsoleRoutes.MaintenanceWindow(maintenance)}\">maintenance {maintenance}</a></dd>")
            : Markup.Empty;
        var roles = Enum.GetValues<IncidentRole>().Select(r => incident.Roles.TryGetValue(r, out var holder)
            ? Html.Of($"<dt>{RoleWords(r)}</dt><dd>{holder.Name}{(holder.Contact is null ? Markup.Empty : Html.Of($" ({holder.Contact})"))}</dd>")
            : Html.Of($"<dt>{RoleWords(r)}</dt><dd class=\"muted\">unassigned</dd>"));
        return Html.Of($"""
            <dl class="summary">
            <dt>Status</dt><dd><span class="status {ConsolePages.Snake(incident.Status)}" id="incident-status">{ConsolePages.Words(incident.Status)}</span></dd>
            <dt>Impact</dt><dd>{ConsolePages.Words(incident.Impact)}{(incident.ImpactOverridden ? new Markup(" (set by a person)") : Markup.Empty)}</dd>
            <dt>Components</dt><dd>{names}</dd>
            <dt>Started</dt><dd>{ConsolePages.Time(incident.StartedAt)}{(incident.Automatic ? new Markup(" (opened by Candor)") : Markup.Empty)}</dd>
            {window}{verifying}{action}{cause}
            {(incident.ResolvedAt is { } resolved ? Html.Of($"<dt>Resolved</dt><dd>{ConsolePages.Time(resolved)}</dd>") : Markup.Empty)}
            {Html.Join(roles)}
            </dl>
            """);
    }

    private static Markup VerificationPanel(Incident incident, VerificationVerdict? verdict) =>
        verdict switch
        {
            null => Html.Of($"""
                <section class="panel" aria-labelledby="verification"><h2 id="verification">Verification</h2>
                <p>No monitor watches this incident's components, so there is no evidence to wait for: a person resolves it.</p></section>
                """),
            { Verified: true } => Html.Of($"""
                <section class="panel ok" aria-labelledby="verification"><h2 id="verification">Verification</h2>
                <p>Verified: every affected monitor passed at every location for the whole window.</p></section>
                """),
            _ => Html.Of($"""
                <section class="panel" aria-labelledby="verification"><h2 id="verification">Verification</h2>
                <p>{(incident.Status == IncidentStatus.Monitoring ? "Not verified yet:" : "Not verifying yet:")}</p>
                <ul>{Html.Join(verdict.Reasons().Select(r => Html.Of($"<li>{r}</li>")))}</ul></section>
                """),
        };

    private static Markup UpdateForm(ConsoleView view, Incident incident, WarRoomForms forms)
    {
        var preview = forms.Preview is { } shown
            ? Html.Of($"""<section class="preview" aria-labelledby="preview"><h3 id="preview">Preview</h3><div class="markdown">{shown}</div></section>""")
            : Markup.Empty;
        return Html.Of($"""
            <section class="panel" aria-labelledby="post-update"><h2 id="post-update">Post an update</h2>
            {preview}
            <form class="stack" method="post" action="{ConsoleRoutes.Incident(incident.Id)}/updates">
            {view.TokenField}
            <label>Status <select name="status">{ConsolePages.Options(UpdateStatuses, forms.UpdateStatus ?? incident.Status)}</select></label>
            <label>Update (Markdown; public) <textarea name="body" rows="5" required>{forms.UpdateBody}</textarea></label>
            <label>Customer action (what affected customers must do) <input name="customer_action" value="{forms.CustomerAction}"></label>
            <div class="buttons"><button type="submit" name="action" value="preview" class="secondary">Preview</button> <button type="submit" name="action" value="post">Post update</button></div>
            </form></section>
            """);
    }

    private static Markup RolesForm(ConsoleView view, Incident incident) => Html.Of($"""
        <section class="panel" aria-labelledby="roles"><h2 id="roles">Roles and impact</h2>
        <form class="row" method="post" action="{ConsoleRoutes.Incident(incident.Id)}/roles">
        {view.TokenField}
        <label>Role <select name="role">{Html.Join(Enum.GetValues<IncidentRole>().Select(r => Html.Of($"<option value=\"{ConsolePages.Snake(r)}\">{RoleWords(r)}</option>")))}</select></label>
        <label>Name <input name="name" required></label>
        <label>Contact <input name="contact" placeholder="phone, chat handle"></label>
        <button type="submit">Assign</button>
        </form>
        <form class="row" method="post" action="{ConsoleRoutes.Incident(incident.Id)}/impact">
        {view.TokenField}
        <label>Impact <select name="impact">{ConsolePages.Options(Enum.GetValues<IncidentImpact>(), incident.Impact)}</select></label>
        <button type="submit">Set impact</button>
        </form></section>
        """);

    private static Markup ResolveForm(ConsoleView view, Incident incident, WarRoomForms forms, VerificationVerdict? verdict)
    {
        var refusal = forms.Refusal is { } refused
            ? Html.Of($"""
                <div class="alert refusal" role="alert"><p><strong>Candor did not resolve this incident.</strong> It is not verified yet:</p>
                <ul>{Html.Join(refused.Reasons().Select(r => Html.Of($"<li>{r}</li>")))}</ul>
                <p>Wait for verification, or override it below with a written reason, which stays on the public timeline.</p></div>
                """)
            : Markup.Empty;
        var unverified = verdict is { Verified: false };
        return Html.Of($"""
            <section class="panel" aria-labelledby="resolve"><h2 id="resolve">Resolve</h2>
            {refusal}
            <form class="stack" method="post" action="{ConsoleRoutes.Incident(incident.Id)}/resolve">
            {view.TokenField}
            <p class="muted">{(unverified ? "Candor resolves only once every location has seen every affected monitor healthy for the verification window." : "Nothing stands in the way: resolving tells subscribers it is over.")}</p>
            <label class="check"><input type="checkbox" name="override"{(forms.Override ? new Markup(" checked") : Markup.Empty)}> Override verification</label>
            <label>Reason for the override (public) <textarea name="reason" rows="2">{forms.Reason}</textarea></label>
            <button type="submit">Resolve</button>
            </form></section>
            """);
    }

    private static Markup Timeline(IReadOnlyList<IncidentEvent> events, MarkdownText markdown) => Html.Of($"""
        <section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
        <ol class="timeline" reversed>{Html.Join(events.Reverse().Select(e => Html.Of($"""
            <li class="event event-{ConsolePages.Snake(e.Kind)}"><p class="meta"><time>{ConsolePages.Time(e.At)}</time> <strong>{ConsolePages.Words(e.Kind)}</strong> <span class="status {ConsolePages.Snake(e.Status)}">{ConsolePages.Words(e.Status)}</span> by {e.Actor}{(e.Public ? Markup.Empty : new Markup(" <span class=\"tag\">internal</span>"))}</p>
            <div class="markdown">{(e.Actor == "candor" ? Html.Of($"<p>{e.Body}</p>") : markdown.Render(e.Body))}</div>
            {(e.CustomerAction is { } action ? Html.Of($"<p class=\"action\"><strong>Customer action:</strong> {action}</p>") : Markup.Empty)}
            {(e.Evidence is { } evidence ? Html.Of($"<details><summary>Evidence</summary><pre>{evidence}</pre></details>") : Markup.Empty)}</li>
            """)))}</ol></section>
        """);

    private static Markup DeliveryLog(
        IReadOnlyList<OutboxEntry> deliveries, IReadOnlyList<IncidentEvent> events, Dictionary<string, string> subscribers)
    {
        if (deliveries.Count == 0)
        {
            return Html.Of($"""<section aria-labelledby="deliveries"><h2 id="deliveries">Who was told</h2><p class="muted">No notification for this incident yet.</p></section>""");
        }

        var byId = events.ToDictionary(e => e.Id);
        var rows = deliveries.Select(d =>
        {
            var recipient = d.RecipientKind == RecipientKind.Channel
                ? $"channel {d.RecipientId}"
                : subscribers.GetValueOrDefault(d.RecipientId, "a removed subscriber");
            var what = byId.TryGetValue(d.EventId, out var e) ? $"{ConsolePages.Words(e.Kind)} at {ConsolePages.Time(e.At)}" : d.EventId;
            return Html.Of($"""
                <tr><td>{what}</td><td>{recipient}</td><td><span class="delivery {ConsolePages.Snake(d.State)}">{ConsolePages.Words(d.State)}</span></td><td>{d.Attempts}</td><td>{ConsolePages.Time(d.SentAt)}</td><td>{d.LastError}</td></tr>
                """);
        });
        return Html.Of($"""
            <section aria-labelledby="deliveries"><h2 id="deliveries">Who was told</h2>
            <table class="deliveries"><thead><tr><th>Event</th><th>Recipient</th><th>State</th><th>Attempts</th><th>Sent (UTC)</th><th>Last error</th></tr></thead>
            <tbody>{Html.Join(rows)}</tbody></table></section>
            """);
    }

    private static string RoleWords(IncidentRole role) => role switch
    {
        IncidentRole.IncidentCommander => "Incident commander",
        IncidentRole.CommunicationsLead => "Communications lead",
        _ => "Operations lead",
    };
}
