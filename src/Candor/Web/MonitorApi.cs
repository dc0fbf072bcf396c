using System.Globalization;
using System.Text.Json;
using Candor.Configuration;
using Candor.Hosting;
using Candor.Monitoring;
using Candor.Monitoring.State;
using Candor.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Candor.Web;

public sealed record TimingsDto(double? DnsMs, double? ConnectMs, double? TlsMs, double? FirstByteMs);

public sealed record ResultDto(
    Guid Id,
    string MonitorId,
    string Location,
    DateTimeOffset StartedAt,
    double DurationMs,
    Outcome Outcome,
    ErrorKind? ErrorKind,
    string? Message,
    TimingsDto Timings)
{
    public static ResultDto From(CheckResult r) => new(
        r.Id,
        r.MonitorId,
        r.LocationId,
        r.StartedAt,
        r.Duration.TotalMilliseconds,
        r.Outcome,
        r.ErrorKind,
        r.Message,
        new TimingsDto(
            r.Timings.Dns?.TotalMilliseconds,
            r.Timings.Connect?.TotalMilliseconds,
            r.Timings.Tls?.TotalMilliseconds,
            r.Timings.FirstByte?.TotalMilliseconds));
}

/// <summary>One result with the diagnostic bundle collected when it confirmed an outage (null when none was).</summary>
public sealed record ResultDetailDto(
    Guid Id,
    string MonitorId,
    string Location,
    DateTimeOffset StartedAt,
    double DurationMs,
    Outcome Outcome,
    ErrorKind? ErrorKind,
    string? Message,
    TimingsDto Timings,
    JsonElement? Diagnostics)
{
    public static ResultDetailDto From(ResultDto r, JsonElement? diagnostics) => new(
        r.Id, r.MonitorId, r.Location, r.StartedAt, r.DurationMs, r.Outcome, r.ErrorKind, r.Message, r.Timings, diagnostics);
}

public sealed record LocationDto(
    string Location,
    MonitorStatus Status,
    DateTimeOffset Since,
    bool Silent,
    int ConsecutiveFailures,
    DateTimeOffset? FailingSince,
    DateTimeOffset? LastCheckedAt,
    ResultDto? LastResult);

public sealed record HeartbeatDto(string Token, string PingUrl);

public sealed record MonitorDto(
    string Id,
    string? Name,
    string Component,
    string Type,
    string? Target,
    string Interval,
    string Timeout,
    MonitorStatus Status,
    IReadOnlyList<LocationDto> Locations,
    HeartbeatDto? Heartbeat);

/// <summary>`/api/v1/monitors`: each monitor with its state at every location, and its results.</summary>
public static class MonitorApi
{
    private const int DefaultLimit = 1000;
    private const int MaxLimit = 10_000;

    public static RouteGroupBuilder MapMonitorApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/monitors");
        group.MapGet("/", List);
        group.MapGet("/{id}", Get);
        group.MapGet("/{id}/results", Results);
        group.MapGet("/{id}/results/{resultId}", Result);
        return group;
    }

    private static Ok<List<MonitorDto>> List(
        CandorConfig config, MonitorStateTracker tracker, ConfigRecords records, TimeProvider clock, HttpRequest request)
    {
        var now = clock.GetUtcNow();
        return TypedResults.Ok(config.Monitors
            .Select(m => ToDto(tracker.Monitor(m.Id, now)!, records, request))
            .ToList());
    }

    private static Results<Ok<MonitorDto>, ProblemHttpResult> Get(
        string id, MonitorStateTracker tracker, ConfigRecords records, TimeProvider clock, HttpRequest request) =>
        tracker.Monitor(id, clock.GetUtcNow()) is { } view
            ? TypedResults.Ok(ToDto(view, records, request))
            : Problems.UnknownMonitor(id);

    private static async Task<Results<Ok<List<ResultDto>>, ProblemHttpResult>> Results(
        string id,
        string? from,
        string? to,
        int? limit,
        CandorConfig config,
        ICandorStore store,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (config.Monitors.All(m => m.Id != id))
        {
            return Problems.UnknownMonitor(id);
        }

        var end = clock.GetUtcNow();
        if (to is not null && !TryParseTime(to, out end))
        {
            return Problems.BadQuery("to", $"'{to}' is not an ISO 8601 time such as 2026-11-22T08:00:00Z");
        }

        var start = end - TimeSpan.FromDays(1);
        if (from is not null && !TryParseTime(from, out start))
        {
            return Problems.BadQuery("from", $"'{from}' is not an ISO 8601 time such as 2026-11-22T08:00:00Z");
        }

        if (start > end)
        {
            return Problems.BadQuery("from", "'from' is after 'to'");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return Problems.BadQuery("limit", $"'limit' must be from 1 to {MaxLimit}");
        }

        var results = await store.GetResultsAsync(id, start, end, limit ?? DefaultLimit, cancellationToken);
        return TypedResults.Ok(results.Select(ResultDto.From).ToList());
    }

    private static async Task<Results<Ok<ResultDetailDto>, ProblemHttpResult>> Result(
        string id,
        string resultId,
        CandorConfig config,
        ICandorStore store,
        MonitorStateTracker tracker,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (config.Monitors.All(m => m.Id != id))
        {
            return Problems.UnknownMonitor(id);
        }

        // A result is only found under its own monitor, so a URL always says whose result it is. The monitor's view
        // shows its last result as soon as it is judged, milliseconds before the batch that holds it is stored: a
        // link taken from that view must not lead to a 404 in between.
        if (!Guid.TryParse(resultId, out var key)
            || (await store.GetResultAsync(key, cancellationToken) ?? LastResultOf(tracker, id, key, clock)) is not { } result
            || result.MonitorId != id)
        {
            return Problems.UnknownResult(id, resultId);
        }

        JsonElement? diagnostics = null;
        if (await store.GetDiagnosticsAsync(key, cancellationToken) is { } json)
        {
            using var document = JsonDocument.Parse(json);
            diagnostics = document.RootElement.Clone();
        }

        return TypedResults.Ok(ResultDetailDto.From(ResultDto.From(result), diagnostics));
    }

    private static CheckResult? LastResultOf(MonitorStateTracker tracker, string monitorId, Guid resultId, TimeProvider clock) =>
        tracker.Monitor(monitorId, clock.GetUtcNow())?.Locations
            .Select(location => location.State.LastResult)
            .FirstOrDefault(result => result?.Id == resultId);

    private static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static MonitorDto ToDto(MonitorView view, ConfigRecords records, HttpRequest request)
    {
        var m = view.Monitor;
        var token = records.HeartbeatToken(m.Id);
        return new MonitorDto(
            m.Id,
            m.Name,
            m.Component,
            m.Type,
            m.Target,
            Duration.Format(m.Interval),
            Duration.Format(m.Timeout),
            view.Status,
            [.. view.Locations.Select(l => new LocationDto(
                l.State.LocationId,
                l.State.Status,
                l.State.StatusSince,
                l.Silent,
                l.State.ConsecutiveFailures,
                l.State.FailingSince,
                l.State.LastCheckedAt,
                l.State.LastResult is { } r ? ResultDto.From(r) : null))],
            token is null ? null : new HeartbeatDto(token, $"{request.Scheme}://{request.Host}/ping/{token}"));
    }
}
