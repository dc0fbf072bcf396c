using Candor.Configuration;
using Candor.Incidents;
using Candor.Storage;

namespace Candor.AdminConsole;

/// <summary>`/admin/incidents`: the recent incidents, and opening one by hand for a problem no monitor sees.</summary>
public static class IncidentPages
{
    private const int Recent = 100;

    private static readonly IncidentStatus[] OpeningStatuses = [IncidentStatus.Investigating, IncidentStatus.Identified, IncidentStatus.Monitoring];

    public static void MapIncidentPages(this RouteGroupBuilder console)
    {
        console.MapGet("/incidents", ListAsync);
        console.MapGet("/incidents/new", (HttpContext http, CandorConfig config) => NewForm(ConsoleView.For(http), config, new NewIncident(), null))
            .RequireAuthorization(ConsoleAuth.Responder);
        console.MapPost("/incidents", CreateAsync).RequireAuthorization(ConsoleAuth.Responder);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ICandorStore store, CancellationToken cancellationToken)
    {
        var incidents = await store.GetRecentIncidentsAsync(Recent, cancellationToken);
        var rows = incidents.Select(i => Html.Of($"""
            <tr><td><a href="{ConsoleRoutes.Incident(i.Id)}">{i.Name}</a></td><td><span class="status {ConsolePages.Snake(i.Status)}">{ConsolePages.Words(i.Status)}</span></td><td>{ConsolePages.Words(i.Impact)}</td><td>{ConsolePages.Time(i.StartedAt)}</td><td>{ConsolePages.Time(i.ResolvedAt)}</td></tr>
            """));
        return ConsolePages.Page(ConsoleView.For(http), "Incidents", incidents.Count == 0
            ? Html.Of($"<h1>Incidents</h1><p class=\"muted\">No incident yet.</p>")
            : Html.Of($"""
                <h1>Incidents</h1>
                <table><thead><tr><th>Incident</th><th>Status</th><th>Impact</th><th>Started (UTC)</th><th>Resolved (UTC)</th></tr></thead>
                <tbody>{Html.Join(rows)}</tbody></table>
                """));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, IncidentEngine engine, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var typed = new NewIncident
        {
            Name = form["name"].ToString().Trim(),
            Components = [.. form["components"].OfType<string>()],
            Status = ConsolePages.TryParse<IncidentStatus>(form["status"], out var status) ? status : null,
            Impact = ConsolePages.TryParse<IncidentImpact>(form["impact"], out var impact) ? impact : null,
            Body = form["body"].ToString(),
        };
        var problem = typed switch
        {
            { Name.Length: 0 } => "Name the incident as customers will read it.",
            { Components.Count: 0 } => "Choose at least one affected component.",
            { Status: null } => "Choose the status it starts in.",
            _ when string.IsNullOrWhiteSpace(typed.Body) => "Write the first update: what customers see.",
            _ => null,
        };
        if (problem is not null)
        {
            return NewForm(view, config, typed, problem);
        }

        try
        {
            var incident = await engine.CreateAsync(
                typed.Name, typed.Components, typed.Status!.Value, typed.Body.Trim(), typed.Impact, view.UserName!, clock.StoredNow(), cancellationToken);
            return Results.Redirect($"{ConsoleRoutes.Incident(incident.Id)}?done=created");
        }
        catch (IncidentRefusedException refusal)
        {
            return NewForm(view, config, typed, refusal.Message);
        }
    }

    private static IResult NewForm(ConsoleView view, CandorConfig config, NewIncident typed, string? problem)
    {
        var components = Html.Join(config.Components.Select(c => Html.Of(
            $"<label class=\"check\"><input type=\"checkbox\" name=\"components\" value=\"{c.Id}\"{(typed.Components.Contains(c.Id) ? new Markup(" checked") : Markup.Empty)}> {c.Name}</label>")));
        return ConsolePages.Page(view, "New incident", Html.Of($"""
            <h1>Open an incident</h1>
            <p class="muted">For a problem no monitor sees. Subscribers of the chosen components are told.</p>
            {(problem is null ? Markup.Empty : Html.Of($"<p class=\"alert\" role=\"alert\">{problem}</p>"))}
            <form class="stack" method="post" action="{ConsoleRoutes.Incidents}">
            {view.TokenField}
            <label>Name <input name="name" required value="{typed.Name}"></label>
            <fieldset><legend>Affected components</legend>{components}</fieldset>
            <label>Status <select name="status">{ConsolePages.Options(OpeningStatuses, typed.Status ?? IncidentStatus.Investigating)}</select></label>
            <label>Impact <select name="impact"><option value="">follow the components</option>{ConsolePages.Options(Enum.GetValues<IncidentImpact>(), typed.Impact)}</select></label>
            <label>First update (Markdown; public) <textarea name="body" rows="5" required>{typed.Body}</textarea></label>
            <button type="submit">Open incident</button>
            </form>
            """), problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private sealed record NewIncident
    {
        public string Name { get; init; } = "";

        public IReadOnlyList<string> Components { get; init; } = [];

        public IncidentStatus? Status { get; init; }

        public IncidentImpact? Impact { get; init; }

        public string Body { get; init; } = "";
    }
}
