using Candor.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Candor.AdminConsole;

/// <summary>
/// `/admin`: the console responders work in during an incident. Server-rendered HTML that works without
/// JavaScript; every page needs a signed-in user and every form an anti-forgery token.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>No script at all, styles only from the console's own stylesheet, and never inside a frame.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// The console's security headers, added as the response starts so that every answer under /admin has them:
    /// pages, redirects, refusals from authorization, and error pages alike.
    /// </summary>
    public static void UseConsoleHeaders(this WebApplication app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(ConsoleRoutes.Root))
            {
                var response = context.Response;
                response.OnStarting(() =>
                {
                    var headers = response.Headers;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "no-referrer";
                    if (string.IsNullOrEmpty(headers.CacheControl))
                    {
                        headers.CacheControl = "no-store";
                    }

                    return Task.CompletedTask;
                });
            }

            return next(context);
        });

    public static void MapCandorConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup(ConsoleRoutes.Root).RequireAuthorization(ConsoleAuth.Viewer).AddEndpointFilter(RequireAntiforgeryAsync);
        console.MapGet("/console.css", () => Results.Text(ConsoleStyle.Css, "text/css; charset=utf-8")).AllowAnonymous()
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
                return await next(context);
            });
        console.MapGet("/sign-in", SignInPage).AllowAnonymous();
        console.MapPost("/sign-in", SignInAsync).AllowAnonymous();
        console.MapPost("/sign-out", (Delegate)SignOutAsync);
        console.MapDashboard();
        console.MapIncidentPages();
        console.MapWarRoom();
        console.MapMaintenancePages();
        console.MapSubscriberPages();
    }

    /// <summary>Every form the console accepts carries the token of the page it came from.</summary>
    private static async ValueTask<object?> RequireAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            try
            {
                await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return ConsolePages.StaleForm(http);
            }
        }

        return await next(context);
    }

    private static async Task<IResult> SignInPage(HttpContext http, string? @return)
    {
        if ((await http.AuthenticateAsync(ConsoleAuth.Scheme)).Succeeded)
        {
            return Results.Redirect(ConsoleRoutes.SafeReturn(@return));
        }

        return SignInForm(ConsoleView.For(http), "", @return, null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, ConsoleSignIn signIn, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var name = form["name"].ToString();
        var back = form["return"].ToString();
        var outcome = await signIn.SignInAsync(name, form["password"].ToString(), cancellationToken);

        // Only a name that is an account's goes into the audit log: what else is typed there may be a password.
        if (outcome.User is { } user)
        {
            AuditLog.Attribute(http, user.Name);
        }

        switch (outcome.Result)
        {
            case SignInResult.SignedIn:
                await http.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(outcome.User!));
                return Results.Redirect(ConsoleRoutes.SafeReturn(back));
            case SignInResult.Locked:
                return SignInForm(ConsoleView.For(http), name, back,
                    $"Too many failed sign-ins: this account is locked until {ConsolePages.Time(outcome.LockedUntil)} UTC.",
                    StatusCodes.Status429TooManyRequests);
            default:
                return SignInForm(ConsoleView.For(http), name, back, "The name or the password is wrong.", StatusCodes.Status401Unauthorized);
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(ConsoleAuth.Scheme);
        return Results.Redirect(ConsoleRoutes.SignIn);
    }

    private static IResult SignInForm(ConsoleView view, string name, string? back, string? error, int status) =>
        ConsolePages.Page(view, "Sign in", Html.Of($"""
            <h1>Sign in</h1>
            {(error is null ? Markup.Empty : Html.Of($"<p class=\"alert\" role=\"alert\">{error}</p>"))}
            <form class="stack narrow" method="post" action="{ConsoleRoutes.SignIn}">
            {view.TokenField}
            <input type="hidden" name="return" value="{ConsoleRoutes.SafeReturn(back)}">
            <label>Name <input name="name" autocomplete="username" required value="{name}"></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button>
            </form>
            <p class="muted">Accounts are made on the server with <code>candor user add NAME --role viewer|responder|admin</code>.</p>
            """), status);
}
