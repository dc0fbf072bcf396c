using System.Text.Json;
using Candor.Configuration;
using Candor.Security;
using Candor.Storage;
using Candor.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Incidents;

public sealed record CreateIncidentRequest
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> Components { get; init; }

    public IncidentStatus Status { get; init; } = IncidentStatus.Investigating;

    public string Body { get; init; } = "";

    public IncidentImpact? Impact { get; init; }
}

public sealed record IncidentUpdateRequest
{
    public required IncidentStatus Status { get; init; }

    public required string Body { get; init; }

    public string? CustomerAction { get; init; }
}

public sealed record ResolveRequest
{
    public bool Override { get; init; }

    public string? Reason { get; init; }
}

public sealed record RoleRequest
{
    public required IncidentRole Role { get; init; }

    public required string Name { get; init; }

    public string? Contact { get; init; }
}

public sealed record ImpactRequest
{
    public required IncidentImpact Impact { get; init; }
}

public sealed record ImpactWindowDto(DateTimeOffset Start, DateTimeOffset? End, double? DurationMinutes);

public sealed record VerificationDto(
    DateTimeOffset? Since, DateTimeOffset? EndsAt, int MinutesLeft, IReadOnlyList<string> SilentLocations, IReadOnlyList<string> FailedMonitors, IReadOnlyList<string> Reasons);

public sealed record IncidentEventDto(
    string Id, IncidentEventKind Kind, DateTimeOffset At, IncidentStatus Status, string Body, string? CustomerAction, string Actor, bool Public, JsonElement? Evidence);

public sealed record IncidentDto(
    string Id,
    string Name,
    IncidentStatus Status,
    IncidentImpact Impact,
    bool ImpactOverridden,
    bool Automatic,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset StartedAt,
    DateTimeOffset? MonitoringAt,
    DateTimeOffset? ResolvedAt,
    IReadOnlyList<string> Components,
    IReadOnlyList<string> Monitors,
    ImpactWindowDto? ImpactWindow,
    string? CustomerAction,
    IReadOnlyDictionary<IncidentRole, RoleHolder> Roles,
    VerificationDto? Verification,
    IReadOnlyList<IncidentEventDto>? Timeline);

/// <summary>`/api/v1/incidents`: read, open, update, assign roles, set impact, and resolve through the gate.</summary>
public static class IncidentApi
{
    public static RouteGroupBuilder MapIncidentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/incidents");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiPolicies.Responder);
        group.MapPost("/{id}/updates", UpdateAsync).RequireAuthorization(ApiPolicies.Responder);
        group.MapPost("/{id}/roles", AssignRoleAsync).RequireAuthorization(ApiPolicies.Responder);
        group.MapPost("/{id}/impact", SetImpactAsync).RequireAuthorization(ApiPolicies.Responder);
        group.MapPost("/{id}/resolve", ResolveAsync).RequireAuthorization(ApiPolicies.Responder);
        return group;
    }

    private static async Task<Results<Ok<List<IncidentDto>>, ProblemHttpResult>> ListAsync(
        string? status, ICandorStore store, CancellationToken cancellationToken)
    {
        IReadOnlyList<Incident> incidents = status switch
        {
            "open" => await store.GetOpenIncidentsAsync(cancellationToken),
            null or "all" => await store.GetRecentIncidentsAsync(100, cancellationToken),
            "resolved" => [.. (await store.GetRecentIncidentsAsync(100, cancellationToken)).Where(i => !i.IsOpen)],
            _ => [],
        };
        return status is null or "open" or "all" or "resolved"
            ? TypedResults.Ok(incidents.Select(i => ToDto(i, null, null, null)).ToList())
            : Problems.BadQuery("status", $"'{status}' is not one of: open, resolved, all");
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> GetAsync(
        string id, ICandorStore store, IncidentEngine engine, CandorConfig config, TimeProvider clock, CancellationToken cancellationToken)
    {
        var incident = await store.GetIncidentAsync(id, cancellationToken);
        if (incident is null)
        {
            return Problems.UnknownIncident(id);
        }

        var events = await store.GetIncidentEventsAsync(id, cancellationToken);
        var verdict = incident.IsOpen ? await engine.VerdictAsync(id, clock.StoredNow(), cancellationToken) : null;
        return TypedResults.Ok(ToDto(incident, events, verdict, config.Incidents.VerifyFor));
    }

    private static async Task<Results<Created<IncidentDto>, ProblemHttpResult>> CreateAsync(
        HttpContext http, IncidentEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateIncidentRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Name))
        {
            return Problems.InvalidBody("name", "'name' must not be empty");
        }

        return await Refusals(async () =>
        {
            var incident = await engine.CreateAsync(
                body.Name.Trim(), body.Components, body.Status, body.Body, body.Impact, Actor(http), clock.StoredNow(), cancellationToken);
            return TypedResults.Created($"/api/v1/incidents/{incident.Id}", ToDto(incident, null, null, null));
        });
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> UpdateAsync(
        string id, HttpContext http, IncidentEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<IncidentUpdateRequest>(http.Request, cancellationToken);
        return problem ?? await Refusals(async () => TypedResults.Ok(ToDto(
            await engine.PostUpdateAsync(id, body!.Status, body.Body, body.CustomerAction, Actor(http), clock.StoredNow(), cancellationToken),
            null, null, null)));
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> AssignRoleAsync(
        string id, HttpContext http, IncidentEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<RoleRequest>(http.Request, cancellationToken);
        return problem ?? await Refusals(async () => TypedResults.Ok(ToDto(
            await engine.AssignRoleAsync(id, body!.Role, new RoleHolder(body.Name, body.Contact), Actor(http), clock.StoredNow(), cancellationToken),
            null, null, null)));
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> SetImpactAsync(
        string id, HttpContext http, IncidentEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ImpactRequest>(http.Request, cancellationToken);
        return problem ?? await Refusals(async () => TypedResults.Ok(ToDto(
            await engine.SetImpactAsync(id, body!.Impact, Actor(http), clock.StoredNow(), cancellationToken), null, null, null)));
    }

    private static async Task<Results<Ok<IncidentDto>, ProblemHttpResult>> ResolveAsync(
        string id, HttpContext http, IncidentEngine engine, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(http.Request, cancellationToken, new ResolveRequest());
        return problem ?? await Refusals(async () => TypedResults.Ok(ToDto(
            await engine.ResolveAsync(id, body!.Override, body.Reason, Actor(http), clock.StoredNow(), cancellationToken), null, null, null)));
    }

    private static async Task<Results<T, ProblemHttpResult>> Refusals<T>(Func<Task<T>> act)
        where T : IResult
    {
        try
        {
            return await act();
        }
        catch (IncidentRefusedException refusal)
        {
            return refusal.Kind switch
            {
                "not-found" => Problems.IncidentNotOpen(refusal.Message),
                "unverified" => Problems.Unverified(refusal.Verdict!),
                _ => Problems.InvalidRequest(refusal.Message),
            };
        }
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "anonymous";

    private static IncidentDto ToDto(
        Incident i, IReadOnlyList<IncidentEvent>? events, VerificationVerdict? verdict, TimeSpan? verifyFor) => new(
        i.Id,
        i.Name,
        i.Status,
        i.Impact,
        i.ImpactOverridden,
        i.Automatic,
        i.CreatedAt,
        i.UpdatedAt,
        i.StartedAt,
        i.MonitoringAt,
        i.ResolvedAt,
        i.ComponentIds,
        i.MonitorIds,
        i.ImpactStart is { } start
            ? new ImpactWindowDto(start, i.ImpactEnd, i.ImpactEnd is { } end ? Math.Round((end - start).TotalMinutes, 1) : null)
            : null,
        i.CustomerAction,
        i.Roles,
        verdict is null
            ? null
            : new VerificationDto(
                i.VerifyingSince,
                i.VerifyingSince + verifyFor,
                (int)Math.Ceiling(verdict.Left.TotalMinutes),
                verdict.SilentLocations,
                verdict.FailedMonitors,
                verdict.Reasons()),
        events?.Select(e => new IncidentEventDto(
            e.Id, e.Kind, e.At, e.Status, e.Body, e.CustomerAction, e.Actor, e.Public,
            e.Evidence is null ? null : JsonDocument.Parse(e.Evidence).RootElement.Clone())).ToList());
}
