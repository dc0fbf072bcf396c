using Candor.Storage;
using Candor.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Security;

/// <summary>`GET /api/v1/audit?limit=`: the newest changes made through the API and the console, for admins.</summary>
public static class AuditApi
{
    private const int MaxLimit = 1000;

    public static RouteHandlerBuilder MapAuditApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit", async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ProblemHttpResult>> (
            int? limit, ICandorStore store, CancellationToken cancellationToken) =>
            limit is < 1 or > MaxLimit
                ? Problems.BadQuery("limit", $"'limit' must be from 1 to {MaxLimit}")
                : TypedResults.Ok(await store.GetAuditAsync(limit ?? 100, cancellationToken)));
}
