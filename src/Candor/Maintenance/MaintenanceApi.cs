using Candor.Security;
using Candor.Storage;
using Candor.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Maintenance;

public sealed record ExtendMaintenanceRequest
{
    public required DateTimeOffset Until { get; init; }
}

public sealed record MaintenanceEventDto(string Id, MaintenanceEventKind Kind, DateTimeOffset At, MaintenanceState State, string Body, string Actor);

public sealed record MaintenanceDto(
    string Id,
    string? ConfigId,
    string Title,
    string Body,
    IReadOnlyList<string> Components,
    MaintenanceState State,
    DateTimeOffset ScheduledFor,
    DateTimeOffset ScheduledUntil,
    string? TimeZone,
    string Grace,
    string VerifyFor,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? HealthySince,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? FirstFailureAt,
    string? IncidentId,
    IReadOnlyList<MaintenanceEventDto>? Timeline)
{
    public static MaintenanceDto From(MaintenanceWindow w, IReadOnlyList<MaintenanceEvent>? events) => new(
        w.Id, w.ConfigId, w.Title, w.Body, w.ComponentIds, w.State, w.ScheduledFor, w.ScheduledUntil, w.TimeZone,
        Configuration.Duration.Format(w.Grace), Configuration.Duration.Format(w.VerifyFor),
        w.StartedAt, w.EndedAt, w.HealthySince, w.CompletedAt, w.FirstFailureAt, w.IncidentId,
        events?.Select(e => new MaintenanceEventDto(e.Id, e.Kind, e.At, e.State, e.Body, e.Actor)).ToList());
}

/// <summary>`/api/v1/maintenance`: read windows; schedule, start early, complete, extend and cancel them.</summary>
public static class MaintenanceApi
{
    public static RouteGroupBuilder MapMaintenanceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/maintenance");
        group.MapGet("/", async (ICandorStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok((await store.GetMaintenanceWindowsAsync(50, cancellationToken)).Select(w => MaintenanceDto.From(w, null)).ToList()));
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/", CreateAsync).RequireAuthorization(ApiPolicies.Responder);
        group.MapPost("/{id}/start", (string id, HttpContext http, MaintenanceGuard guard, TimeProvider clock, CancellationToken ct) =>
            Refusals(() => guard.StartAsync(id, Actor(http), clock.StoredNow(), ct))).RequireAuthorization(ApiPolicies.Responder);
        group.MapPost("/{id}/complete", (string id, HttpContext http, MaintenanceGuard guard, TimeProvider clock, CancellationToken ct) =>
            Refusals(() => guard.CompleteAsync(id, Actor(http), clock.StoredNow(), ct))).RequireAuthorization(ApiPolicies.Responder);
        group.MapPost("/{id}/cancel", (string id, HttpContext http, MaintenanceGuard guard, TimeProvider clock, CancellationToken ct) =>
            Refusals(() => guard.CancelAsync(id, Actor(http), clock.StoredNow(), ct))).RequireAuthorization(ApiPolicies.Responder);
        group.MapPost("/{id}/extend", ExtendAsync).RequireAuthorization(ApiPolicies.Responder);
        return group;
    }

    private static async Task<Results<Ok<MaintenanceDto>, ProblemHttpResult>> GetAsync(
        string id, ICandorStore store, CancellationToken cancellationToken) =>
        await store.GetMaintenanceWindowAsync(id, cancellationToken) is { } window
            ? TypedResults.Ok(MaintenanceDto.From(window, await store.GetMaintenanceEventsAsync(id, cancellationToken)))
            : Problems.UnknownMaintenance($"No maintenance window has the id '{id}'.");

    private static async Task<Results<Created<MaintenanceDto>, ProblemHttpResult>> CreateAsync(
        HttpContext http, MaintenanceGuard guard, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateMaintenanceRequest>(http.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var window = await guard.ScheduleAsync(body!, Actor(http), clock.StoredNow(), cancellationToken);
            return TypedResults.Created($"/api/v1/maintenance/{window.Id}", MaintenanceDto.From(window, null));
        }
        catch (MaintenanceRefusedException refusal)
        {
            return refusal.Field is { } field ? Problems.InvalidBody(field, refusal.Message) : Problems.InvalidRequest(refusal.Message);
        }
    }

    private static async Task<Results<Ok<MaintenanceDto>, ProblemHttpResult>> ExtendAsync(
        string id, HttpContext http, MaintenanceGuard guard, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ExtendMaintenanceRequest>(http.Request, cancellationToken);
        return problem ?? await Refusals(() => guard.ExtendAsync(id, body!.Until.ToUniversalTime(), Actor(http), clock.StoredNow(), cancellationToken));
    }

    private static async Task<Results<Ok<MaintenanceDto>, ProblemHttpResult>> Refusals(Func<Task<MaintenanceWindow>> act)
    {
        try
        {
            return TypedResults.Ok(MaintenanceDto.From(await act(), null));
        }
        catch (MaintenanceRefusedException refusal)
        {
            return refusal.NotFound ? Problems.UnknownMaintenance(refusal.Message) : Problems.InvalidRequest(refusal.Message);
        }
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "anonymous";
}
