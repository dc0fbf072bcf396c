using Candor.Configuration;
using Candor.Notifications;
using Candor.Storage;

namespace Candor.AdminConsole;

/// <summary>`/admin/subscribers`: who is told of incidents, for admins to add and remove.</summary>
public static class SubscriberPages
{
    public static void MapSubscriberPages(this RouteGroupBuilder console)
    {
        var admin = console.MapGroup("/subscribers").RequireAuthorization(ConsoleAuth.Admin);
        admin.MapGet("/", (HttpContext http, string? done, ICandorStore store, CandorConfig config, CancellationToken cancellationToken) =>
            RenderAsync(ConsoleView.For(http), store, config, done == "removed" ? "The subscriber is removed." : null, null, null, cancellationToken));
        admin.MapPost("/", AddAsync);
        admin.MapPost("/{id}/remove", async (HttpContext http, string id, ICandorStore store, CancellationToken cancellationToken) =>
            await store.RemoveSubscriberAsync(id, cancellationToken)
                ? Results.Redirect($"{ConsoleRoutes.Subscribers}?done=removed")
                : ConsolePages.NotFound(ConsoleView.For(http), $"No subscriber has the id '{id}'."));
    }

    /// <remarks>
    /// The answer is the page itself rather than a redirect: a new webhook's signing key is shown once, here.
    /// </remarks>
    private static async Task<IResult> AddAsync(
        HttpContext http, ICandorStore store, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        var view = ConsoleView.For(http);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var address = form["address"].ToString().Trim();
        var webhook = form["kind"] == "webhook";
        var components = form["components"].OfType<string>().ToList();
        var (subscriber, invalid) = NewSubscriber.ByAdmin(
            webhook ? null : address, webhook ? address : null, components.Count == 0 ? null : components, null, config, clock.StoredNow());
        if (invalid is not null)
        {
            return await RenderAsync(view, store, config, null, invalid.Detail, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (!await store.AddSubscriberAsync(subscriber!, cancellationToken))
        {
            return await RenderAsync(view, store, config, null, $"{address} is already subscribed.", StatusCodes.Status409Conflict, cancellationToken);
        }

        var notice = subscriber!.Secret is { } secret
            ? $"Added {subscriber.Address}. Its payloads are signed with this key, shown only now: {secret}"
            : $"Added {subscriber.Address}.";
        return await RenderAsync(view, store, config, notice, null, StatusCodes.Status200OK, cancellationToken);
    }

    private static async Task<IResult> RenderAsync(
        ConsoleView view, ICandorStore store, CandorConfig config, string? notice, string? error, int? status, CancellationToken cancellationToken)
    {
        var subscribers = await store.GetSubscribersAsync(cancellationToken);
        var names = config.Components.ToDictionary(c => c.Id, c => c.Name);
        var rows = subscribers.Select(s => Html.Of($"""
            <tr><td>{s.Address}{(s.Contact is null ? Markup.Empty : Html.Of($"<br><span class=\"muted\">contact: {s.Contact}</span>"))}</td><td>{ConsolePages.Words(s.Kind)}</td><td>{(s.Components is null ? "the whole page" : string.Join(", ", s.Components.Select(c => names.GetValueOrDefault(c, c))))}</td><td>{(s.Confirmed ? "confirmed" : "waiting for confirmation")}</td><td>{ConsolePages.Time(s.CreatedAt)}</td>
            <td><form method="post" action="{ConsoleRoutes.Subscribers}/{Html.Segment(s.Id)}/remove">{view.TokenField}<button type="submit" class="secondary" aria-label="Remove {s.Address}">Remove</button></form></td></tr>
            """));
        var components = Html.Join(config.Components.Select(c => Html.Of(
            $"<label class=\"check\"><input type=\"checkbox\" name=\"components\" value=\"{c.Id}\"> {c.Name}</label>")));
        return ConsolePages.Page(view, "Subscribers", Html.Of($"""
            <h1>Subscribers</h1>
            {(notice is null ? Markup.Empty : Html.Of($"<p class=\"notice\" role=\"status\">{notice}</p>"))}
            {(error is null ? Markup.Empty : Html.Of($"<p class=\"alert\" role=\"alert\">{error}</p>"))}
            <section class="panel" aria-labelledby="add"><h2 id="add">Add a subscriber</h2>
            <p class="muted">Someone an admin adds has agreed elsewhere: the subscription starts confirmed.</p>
            <form class="stack" method="post" action="{ConsoleRoutes.Subscribers}">
            {view.TokenField}
            <label>Kind <select name="kind"><option value="email">e-mail</option><option value="webhook">webhook</option></select></label>
            <label>E-mail address or webhook URL <input name="address" required></label>
            <fieldset><legend>Components (none: the whole page)</legend>{components}</fieldset>
            <button type="submit">Add subscriber</button>
            </form></section>
            {(subscribers.Count == 0 ? Html.Of($"<p class=\"muted\">No subscriber yet.</p>") : Html.Of($"""
                <table><thead><tr><th>Address</th><th>Kind</th><th>Follows</th><th>State</th><th>Since (UTC)</th><th></th></tr></thead>
                <tbody>{Html.Join(rows)}</tbody></table>
                """))}
            """), status ?? StatusCodes.Status200OK);
    }
}
