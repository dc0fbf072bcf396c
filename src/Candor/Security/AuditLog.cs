using Candor.Storage;

namespace Candor.Security;

/// <summary>Records who changed what through the admin API: token name, method, route, result, incident.</summary>
public static class AuditLog
{
    /// <summary>Only changes through the admin API are recorded; every other request passes without a wait.</summary>
    public static void UseAuditLog(this WebApplication app) =>
        app.Use((context, next) => IsAudited(context.Request) ? RecordAsync(context, next) : next(context));

    private static bool IsAudited(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/v1") && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);

    private static async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        var request = context.Request;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? request.Path.Value ?? "";
        var incident = route.StartsWith("/api/v1/incidents/", StringComparison.Ordinal)
            ? context.Request.RouteValues["id"] as string
            : null;
        var services = context.RequestServices;
        var entry = new AuditEntry(
            services.GetRequiredService<TimeProvider>().GetUtcNow(),
            context.User.Identity?.Name ?? "anonymous",
            request.Method,
            route,
            context.Response.StatusCode,
            incident);
        await services.GetRequiredService<ICandorStore>().AppendAuditAsync(entry, CancellationToken.None);
    }
}
