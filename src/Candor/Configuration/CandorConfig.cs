using Candor.Maintenance;
using Candor.Monitoring.Conditions;

namespace Candor.Configuration;

/// <summary>
/// The whole `candor.yaml`, bound and validated. Keys are the snake_case forms of the property names;
/// defaults live here, in the property initialisers, so that the file and the code agree on them.
/// </summary>
public sealed record CandorConfig
{
    public PageConfig Page { get; init; } = new();

    /// <summary>`sqlite:PATH` or a PostgreSQL URL/connection string; `CANDOR_STORAGE` overrides it.</summary>
    public string Storage { get; init; } = "sqlite:data/candor.db";

    public IReadOnlyList<LocationConfig> Locations { get; init; } = [];

    public IReadOnlyList<ComponentConfig> Components { get; init; } = [];

    public IReadOnlyList<MonitorConfig> Monitors { get; init; } = [];

    public IncidentDefaults Incidents { get; init; } = new();

    public Notifications.NotificationsConfig Notifications { get; init; } = new();

    public RetentionConfig Retention { get; init; } = new();

    public IReadOnlyList<MaintenanceConfig> Maintenance { get; init; } = [];
}

public sealed record PageConfig
{
    public string Name { get; init; } = "Candor";

    public string? Url { get; init; }

    /// <summary>IANA time zone in which the page shows times.</summary>
    public string TimeZone { get; init; } = "UTC";
}

public sealed record LocationConfig
{
    /// <summary>The location every server has: the server itself.</summary>
    public const string Local = "local";

    public string Id { get; init; } = "";

    public string? Name { get; init; }
}

public sealed record ComponentConfig
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public string? Group { get; init; }
}

public enum SubscriberNotification
{
    Auto,
    Manual,
}

public sealed record IncidentDefaults
{
    public int ConfirmAfter { get; init; } = 2;

    public Quorum Quorum { get; init; } = Quorum.Majority;

    public TimeSpan VerifyFor { get; init; } = TimeSpan.FromMinutes(60);

    public SubscriberNotification NotifySubscribers { get; init; } = SubscriberNotification.Auto;
}

public sealed record RetentionConfig
{
    /// <summary>How long raw check results, and the minute and five-minute rollups, are kept; hours and days are kept for good.</summary>
    public TimeSpan Results { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>
/// One monitor. The common keys are properties here; the keys of its type (method, headers, every, ...) are
/// bound to the settings record that the check type declares in <see cref="Monitoring.CheckCatalog"/>.
/// </summary>
public sealed record MonitorConfig
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string Component { get; init; } = "";

    public string Type { get; init; } = "";

    public string? Target { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> Locations { get; init; } = [LocationConfig.Local];

    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    public IReadOnlyList<Condition> DegradedWhen { get; init; } = [];

    /// <summary>Overrides <see cref="IncidentDefaults.ConfirmAfter"/> for this monitor.</summary>
    public int? ConfirmAfter { get; init; }

    /// <summary>Overrides <see cref="IncidentDefaults.Quorum"/> for this monitor.</summary>
    public Quorum? Quorum { get; init; }

    /// <summary>The type's settings record, e.g. <c>HttpSettings</c>.</summary>
    public object Settings { get; init; } = new();
}

/// <summary>How many reporting locations must see a monitor down for the monitor to be down.</summary>
public readonly record struct Quorum(int? Count)
{
    /// <summary>More than half of the locations that are reporting.</summary>
    public static readonly Quorum Majority = new(null);

    public bool IsMetBy(int down, int reporting) =>
        reporting > 0 && (Count is { } n ? down >= Math.Min(n, reporting) : down * 2 > reporting);

    public override string ToString() => Count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "majority";
}

/// <summary>
/// A config record or settings record that checks itself after binding. Each problem names the key (of this
/// record) it is about, so the error can point at that key's line and column.
/// </summary>
public interface IValidatableConfig
{
    IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor);
}

/// <param name="Key">The snake_case key the problem is about, or null for the record as a whole.</param>
public sealed record ConfigProblem(string? Key, string Message)
{
    /// <summary>
    /// The record the key belongs to, when it is not the record that reports the problem: an item of one of its
    /// lists, such as a step of an http transaction, whose fault only the whole list can see.
    /// </summary>
    public object? In { get; init; }

    /// <summary>The index of the list item the problem is about, in the key's value.</summary>
    public int? Item { get; init; }
}
