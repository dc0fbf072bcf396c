using System.Globalization;
using Candor.Configuration;
using Candor.Storage;
using Microsoft.AspNetCore.Antiforgery;

namespace Candor.AdminConsole;

public static class ConsoleRoutes
{
    public const string Root = "/admin";
    public const string SignIn = "/admin/sign-in";
    public const string SignOut = "/admin/sign-out";
    public const string Incidents = "/admin/incidents";
    public const string NewIncident = "/admin/incidents/new";
    public const string Maintenance = "/admin/maintenance";
    public const string NewMaintenance = "/admin/maintenance/new";
    public const string Subscribers = "/admin/subscribers";
    public const string Stylesheet = "/admin/console.css";

    /// <summary>The hidden field every form carries its anti-forgery token in.</summary>
    public const string AntiforgeryField = "__csrf";

    public static string Incident(string id) => $"{Incidents}/{Html.Segment(id)}";

    public static string MaintenanceWindow(string id) => $"{Maintenance}/{Html.Segment(id)}";

    /// <summary>
    /// Where to go after signing in: only a path inside the console, so that a crafted link cannot send a person
    /// who just signed in to another site.
    /// </summary>
    public static string SafeReturn(string? path) =>
        path is { Length: > 0 } p && (p == Root || p.StartsWith(Root + "/", StringComparison.Ordinal))
            && !p.Contains("//", StringComparison.Ordinal) && !p.Contains('\\', StringComparison.Ordinal)
            ? p
            : Root;
}

/// <summary>Who is asking, and the anti-forgery token their forms carry.</summary>
public sealed record ConsoleView(HttpContext Http, string? UserName, ApiRole? Role, string Token)
{
    public static ConsoleView For(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var name = ConsoleAuth.UserName(http.User);
        return new ConsoleView(http, name, name is null ? null : ConsoleAuth.RoleOf(http.User), tokens.RequestToken!);
    }

    public bool May(ApiRole least) => Role >= least;

    public Markup TokenField => Html.Of($"<input type=\"hidden\" name=\"{ConsoleRoutes.AntiforgeryField}\" value=\"{Token}\">");
}

/// <summary>The page around every console view, and the pages for refusals.</summary>
public static class ConsolePages
{
    public static IResult Page(ConsoleView view, string title, Markup body, int status = StatusCodes.Status200OK)
    {
        var config = view.Http.RequestServices.GetRequiredService<CandorConfig>();
        var html = new HtmlWriter();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · {config.Page.Name} console</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="{ConsoleRoutes.Stylesheet}">
            </head><body>
            <header class="bar"><a class="brand" href="{ConsoleRoutes.Root}">{config.Page.Name} console</a>
            """);
        if (view.UserName is not null)
        {
            html.Append($"""
                <nav aria-label="Console"><a href="{ConsoleRoutes.Root}">Dashboard</a> <a href="{ConsoleRoutes.Incidents}">Incidents</a> <a href="{ConsoleRoutes.Maintenance}">Maintenance</a>
                """);
            if (view.May(ApiRole.Responder))
            {
                html.Append($" <a href=\"{ConsoleRoutes.NewIncident}\">New incident</a>");
            }

            if (view.May(ApiRole.Admin))
            {
                html.Append($" <a href=\"{ConsoleRoutes.Subscribers}\">Subscribers</a>");
            }

            html.Append($"""
                </nav>
                <form class="who" method="post" action="{ConsoleRoutes.SignOut}">{view.TokenField}<span>Signed in as <strong>{view.UserName}</strong> ({view.Role?.ToString().ToLowerInvariant()})</span> <button type="submit">Sign out</button></form>
                """);
        }

        html.Append($"""
            </header>
            <main>
            {body}
            </main>
            <footer><p>Times are UTC.</p></footer>
            </body></html>

            """);
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    public static IResult Forbidden(HttpContext http)
    {
        var view = ConsoleView.For(http);
        return Page(view, "Not allowed", Html.Of($"""
            <h1>Not allowed</h1>
            <p class="alert" role="alert">Your role, {view.Role?.ToString().ToLowerInvariant() ?? "none"}, may not do this. Viewers read; responders also post updates, resolve and manage incidents and run maintenance; admins also manage subscribers.</p>
            <p><a href="{ConsoleRoutes.Root}">Back to the dashboard</a></p>
            """), StatusCodes.Status403Forbidden);
    }

    public static IResult NotFound(ConsoleView view, string what) =>
        Page(view, "Not found", Html.Of($"""
            <h1>Not found</h1>
            <p class="alert" role="alert">{what}</p>
            <p><a href="{ConsoleRoutes.Root}">Back to the dashboard</a></p>
            """), StatusCodes.Status404NotFound);

    public static IResult StaleForm(HttpContext http) =>
        Page(ConsoleView.For(http), "Form refused", Html.Of($"""
            <h1>This form was refused</h1>
            <p class="alert" role="alert">It did not carry a valid anti-forgery token: it has expired, or it was not sent from this console. Go back, reload the page and send it again.</p>
            <p><a href="{ConsoleRoutes.Root}">Back to the dashboard</a></p>
            """), StatusCodes.Status400BadRequest);

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time is { } t ? Time(t) : "—";

    /// <summary>snake_case, as the API and the stylesheet's status classes spell enum values.</summary>
    public static string Snake<T>(T value)
        where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static string Words<T>(T value)
        where T : struct, Enum =>
        Snake(value).Replace('_', ' ');

    /// <summary>Options of a select, with the current value selected.</summary>
    public static Markup Options<T>(IEnumerable<T> values, T? selected)
        where T : struct, Enum =>
        Html.Join(values.Select(v => Html.Of(
            $"<option value=\"{Snake(v)}\"{(Equals(v, selected) ? new Markup(" selected") : Markup.Empty)}>{Words(v)}</option>")));

    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out value)
            && Enum.IsDefined(value) && !text!.Any(char.IsDigit);
}
