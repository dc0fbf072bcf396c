using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Web;

public sealed record ComponentDto(
    string Id, string Name, string? Description, string? Group, ComponentStatus Status, DateTimeOffset Since, IReadOnlyList<string> Monitors);

/// <summary>`/api/v1/components`: each component with its derived status and the monitors that feed it.</summary>
public static class ComponentApi
{
    public static RouteGroupBuilder MapComponentApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/components");
        group.MapGet("/", (MonitorStateTracker tracker, TimeProvider clock) =>
            TypedResults.Ok(tracker.Snapshot(clock.GetUtcNow()).Components.Select(ToDto).ToList()));
        group.MapGet("/{id}", Results<Ok<ComponentDto>, ProblemHttpResult> (string id, MonitorStateTracker tracker, TimeProvider clock) =>
            tracker.Snapshot(clock.GetUtcNow()).Components.FirstOrDefault(c => c.Component.Id == id) is { } view
                ? TypedResults.Ok(ToDto(view))
                : Problems.UnknownComponent(id));
        return group;
    }

    private static ComponentDto ToDto(ComponentView view) => new(
        view.Component.Id,
        view.Component.Name,
        view.Component.Description,
        view.Component.Group,
        view.State.Status,
        view.State.Since,
        [.. view.Monitors.Select(m => m.Monitor.Id)]);
}
