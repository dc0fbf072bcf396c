using System.Globalization;

namespace Candor.Maintenance;

/// <summary>A window as a person asks for it, through the API or the console, with durations as the config writes them.</summary>
public sealed record CreateMaintenanceRequest
{
    public required string Title { get; init; }

    public string Body { get; init; } = "";

    public required IReadOnlyList<string> Components { get; init; }

    public required DateTimeOffset Starts { get; init; }

    /// <summary>A duration as the config writes it: 2h, 90m.</summary>
    public required string Duration { get; init; }

    public string? Grace { get; init; }

    /// <summary>How long the components must stay healthy after the work; `incidents.verify_for` when not given.</summary>
    public string? VerifyFor { get; init; }

    /// <summary>The zone people read the window's times in, e.g. Europe/Berlin; UTC alone when not given.</summary>
    public string? TimeZone { get; init; }
}

/// <summary>A window to schedule, its text read into values; the guard then checks it against the config.</summary>
public sealed record MaintenancePlan(
    string Title,
    string Body,
    IReadOnlyList<string> ComponentIds,
    DateTimeOffset Starts,
    TimeSpan Duration,
    TimeSpan? Grace,
    TimeSpan? VerifyFor,
    string? TimeZone);

/// <summary>
/// The one way a person's request becomes a scheduled window, shared by the API and the console so that both
/// accept and refuse the same things in the same words.
/// </summary>
public static class MaintenancePlanning
{
    /// <exception cref="MaintenanceRefusedException">Naming the field at fault where the text could not be read.</exception>
    public static Task<MaintenanceWindow> ScheduleAsync(
        this MaintenanceGuard guard, CreateMaintenanceRequest request, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plan = new MaintenancePlan(
            request.Title,
            request.Body,
            request.Components,
            request.Starts.ToUniversalTime(),
            string.IsNullOrWhiteSpace(request.Duration)
                ? throw new MaintenanceRefusedException(false, "a maintenance window needs a duration, e.g. 2h", "duration")
                : Parse("duration", request.Duration),
            Optional("grace", request.Grace),
            Optional("verify_for", request.VerifyFor),
            Zone(request.TimeZone)?.Id);
        return guard.CreateAsync(plan, actor, now, cancellationToken);
    }

    /// <summary>The start a person typed as a wall-clock time in a zone (UTC when none is named).</summary>
    /// <remarks>
    /// A time the clocks skip is refused rather than moved; one that happens twice, as the clocks go back, is read
    /// as the second (standard time), which is what <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/> gives.
    /// </remarks>
    public static DateTimeOffset StartsAt(DateTime local, string? timeZone)
    {
        var zone = Zone(timeZone) ?? TimeZoneInfo.Utc;
        var wallClock = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wallClock))
        {
            throw new MaintenanceRefusedException(false,
                $"{wallClock.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} does not exist in {zone.Id}: the clocks skip it that day",
                "starts");
        }

        return new DateTimeOffset(wallClock, zone.GetUtcOffset(wallClock)).ToUniversalTime();
    }

    private static TimeZoneInfo? Zone(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null
        : TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone
        : throw new MaintenanceRefusedException(false, $"'{id}' is not a known time zone, e.g. Europe/Berlin", "time_zone");

    private static TimeSpan? Optional(string field, string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : Parse(field, text);

    private static TimeSpan Parse(string field, string text) =>
        Configuration.Duration.TryParse(text.Trim(), out var value)
            ? value
            : throw new MaintenanceRefusedException(false, $"'{text}' is not a duration: {Configuration.Duration.Hint}", field);
}
