using Candor.Configuration;

namespace Candor.Maintenance;

/// <summary>
/// A planned window from the config: once at <see cref="Starts"/>, or every time <see cref="Cron"/> matches in
/// <see cref="TimeZone"/>, for <see cref="Duration"/>.
/// </summary>
public sealed record MaintenanceConfig : IValidatableConfig
{
    public string Id { get; init; } = "";

    public string Title { get; init; } = "";

    public string Body { get; init; } = "";

    public IReadOnlyList<string> Components { get; init; } = [];

    public DateTimeOffset? Starts { get; init; }

    public CronSchedule? Cron { get; init; }

    /// <summary>The zone the cron expression is read in; the page's zone when not given.</summary>
    public string? TimeZone { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>How long after the window the components have to be healthy again.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long they must then stay healthy; `incidents.verify_for` when not given.</summary>
    public TimeSpan? VerifyFor { get; init; }

    /// <summary>The zone its cron is read in, and its times shown in: its own, or the page's.</summary>
    public TimeZoneInfo Zone(PageConfig page) => TimeZoneInfo.FindSystemTimeZoneById(TimeZone ?? page.TimeZone);

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (Title.Length == 0)
        {
            yield return new ConfigProblem(null, $"maintenance '{Id}' needs a title");
        }

        if ((Starts is null) == (Cron is null))
        {
            yield return new ConfigProblem(null, $"maintenance '{Id}' needs either starts (one window) or cron (a recurring one)");
        }

        if (Duration <= TimeSpan.Zero)
        {
            yield return new ConfigProblem(null, $"maintenance '{Id}' needs a duration, e.g. duration: 2h");
        }

        if (Grace < TimeSpan.Zero)
        {
            yield return new ConfigProblem("grace", "grace must not be negative");
        }

        if (Components.Count == 0)
        {
            yield return new ConfigProblem(null, $"maintenance '{Id}' names no components");
        }

        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ConfigProblem("time_zone", $"'{TimeZone}' is not a known time zone, e.g. Europe/Berlin");
        }
    }
}
