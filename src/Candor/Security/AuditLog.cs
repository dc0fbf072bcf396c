using System.Security.Claims;
using Candor.AdminConsole;
using Candor.Storage;

namespace Candor.Security;

/// <summary>
/// Records who changed what: every request but a read, to the admin API or to the console, with the actor, the
/// method, the route pattern, the answer's status and the incident the route names. Neither bodies nor forms are
/// kept, so no password or update text reaches the log.
/// </summary>
public static class AuditLog
{
    /// <summary>
    /// Marks a console user, as against an API token, which is recorded by its bare name. No token's name may begin
    /// with it, so <c>user:alice</c> is always the person who signs in as alice.
    /// </summary>
    public const string UserPrefix = "user:";

    private static readonly object ActorKey = new();

    /// <summary>Only changes are recorded; every other request passes without a wait.</summary>
    public static void UseAuditLog(this WebApplication app) =>
        app.Use((context, next) => IsAudited(context.Request) ? RecordAsync(context, next) : next(context));

    /// <summary>
    /// Names the console user a request is about when it is not signed in as them: a sign-in, which succeeds or
    /// fails for an account that exists.
    /// </summary>
    public static void Attribute(HttpContext context, string userName) => context.Items[ActorKey] = UserPrefix + userName;

    private static bool IsAudited(HttpRequest request) =>
        (request.Path.StartsWithSegments("/api/v1") || request.Path.StartsWithSegments(ConsoleRoutes.Root))
        && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);

    private static async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        var request = context.Request;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? request.Path.Value ?? "";
        var incident = route.StartsWith("/api/v1/incidents/", StringComparison.Ordinal)
            || route.StartsWith(ConsoleRoutes.Incidents + "/", StringComparison.Ordinal)
                ? request.RouteValues["id"] as string
                : null;
        var services = context.RequestServices;
        var entry = new AuditEntry(
            services.GetRequiredService<TimeProvider>().GetUtcNow(),
            context.Items[ActorKey] as string ?? Actor(context.User),
            request.Method,
            route,
            context.Response.StatusCode,
            incident);
        await services.GetRequiredService<ICandorStore>().AppendAuditAsync(entry, CancellationToken.None);
    }

    private static string Actor(ClaimsPrincipal principal) =>
        ConsoleAuth.UserName(principal) is { } user ? UserPrefix + user : principal.Identity?.Name ?? "anonymous";
}
