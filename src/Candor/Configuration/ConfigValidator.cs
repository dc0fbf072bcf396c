using System.Text.RegularExpressions;
using Candor.Monitoring;

namespace Candor.Configuration;

/// <summary>
/// Checks what binding alone cannot: required keys, ids and the references between them, sane timings, and
/// whatever each record that implements <see cref="IValidatableConfig"/> says about itself.
/// </summary>
internal sealed partial class ConfigValidator(
    ConfigPositions positions, IReadOnlyDictionary<MonitorConfig, CheckKind> kinds, Action<Position, string> report)
{
    /// <summary>Besides the id, which every record with one requires.</summary>
    private static readonly IReadOnlyList<string> RequiredMonitorKeys = ["component", "type"];

    public void Validate(CandorConfig config)
    {
        ValidateTimeZone(config.Page);
        ValidateStorage(config);
        var locations = ValidateIds(config.Locations, "location", l => l.Id);
        foreach (var location in config.Locations.Where(l => l.Id == LocationConfig.Local))
        {
            report(positions.ValueOf(location, "id"), "'local' is the server itself and needs no entry under locations");
        }

        var components = ValidateIds(config.Components, "component", c => c.Id);
        foreach (var component in config.Components.Where(c => !positions.Has(c, "name")))
        {
            report(positions.Of(component), $"{Describe(component, "component", component.Id)} is missing key 'name'");
        }

        ValidateIds(config.Monitors, "monitor", m => m.Id);
        locations.Add(LocationConfig.Local);
        foreach (var monitor in config.Monitors)
        {
            ValidateMonitor(monitor, components, locations);
        }

        ValidateIds(config.Maintenance, "maintenance", m => m.Id);
        foreach (var window in config.Maintenance)
        {
            for (var i = 0; i < window.Components.Count; i++)
            {
                if (!components.Contains(window.Components[i]))
                {
                    report(positions.ItemOf(window, "components", i),
                        $"maintenance '{window.Id}' names component '{window.Components[i]}', which is not defined{Known(window.Components[i], components, "components")}");
                }
            }
        }

        ValidateIncidents(config.Incidents);
        if (config.Retention.Results < TimeSpan.FromDays(1))
        {
            report(positions.ValueOf(config.Retention, "results"), "results must be at least 1d");
        }

        var monitorTypes = config.Monitors
            .Where(m => m.Id.Length > 0)
            .GroupBy(m => m.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);
        foreach (var (record, monitor) in positions.Records)
        {
            if (record is IMonitorReferences referring)
            {
                ValidateReferences(referring, record, monitorTypes);
            }

            if (record is IValidatableConfig validatable)
            {
                foreach (var problem in validatable.Validate(monitor))
                {
                    var about = problem.In ?? record;
                    var at = problem.Key is null ? positions.Of(about)
                        : problem.Item is { } item ? positions.ItemOf(about, problem.Key, item)
                        : positions.KeyOf(about, problem.Key);
                    report(at, problem.Message);
                }
            }
        }
    }

    private void ValidateTimeZone(PageConfig page)
    {
        if (!string.IsNullOrWhiteSpace(page.TimeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(page.TimeZone, out _))
        {
            return;
        }

        var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id);
        var hint = Suggestions.Closest(page.TimeZone, known) is { } close
            ? $" — did you mean '{close}'?"
            : ": use an IANA name such as Europe/Paris or America/New_York";
        report(positions.ValueOf(page, "time_zone"), $"'{page.TimeZone}' is not a known time zone{hint}");
    }

    private void ValidateStorage(CandorConfig config)
    {
        var storage = config.Storage;
        if (!storage.StartsWith("sqlite:", StringComparison.Ordinal)
            && !storage.StartsWith("postgres://", StringComparison.Ordinal)
            && !storage.StartsWith("postgresql://", StringComparison.Ordinal)
            && !storage.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            // The value is not repeated: a connection string usually carries a password.
            report(positions.ValueOf(config, "storage"),
                "storage must be sqlite:PATH, a postgres:// URL, or a PostgreSQL connection string with Host=");
        }
    }

    /// <returns>The valid ids, each once.</returns>
    private HashSet<string> ValidateIds<T>(IEnumerable<T> records, string what, Func<T, string> idOf)
        where T : notnull
    {
        var seen = new Dictionary<string, Position>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var id = idOf(record);
            var at = positions.ValueOf(record, "id");
            if (!positions.Has(record, "id"))
            {
                report(at, $"{what} is missing key 'id'");
            }
            else if (!IdPattern().IsMatch(id))
            {
                report(at, $"'{id}' is not a valid {what} id: use lowercase letters, digits, '-' and '_', starting with a letter or digit");
            }
            else if (!seen.TryAdd(id, at))
            {
                report(at, $"duplicate {what} id '{id}', first defined at line {seen[id].Line}");
            }
        }

        return [.. seen.Keys];
    }

    private void ValidateMonitor(MonitorConfig monitor, HashSet<string> components, HashSet<string> locations)
    {
        var name = Describe(monitor, "monitor", monitor.Id);
        foreach (var key in RequiredMonitorKeys.Where(key => !positions.Has(monitor, key)))
        {
            report(positions.Of(monitor), $"{name} is missing key '{key}'");
        }

        if (monitor.Component.Length > 0 && !components.Contains(monitor.Component))
        {
            report(positions.ValueOf(monitor, "component"),
                $"{name} names component '{monitor.Component}', which is not defined{Known(monitor.Component, components, "components")}");
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < monitor.Locations.Count; i++)
        {
            var location = monitor.Locations[i];
            if (!locations.Contains(location))
            {
                report(positions.ItemOf(monitor, "locations", i),
                    $"{name} runs at location '{location}', which is not defined{Known(location, locations, "locations")}");
            }
            else if (!listed.Add(location))
            {
                // Checked twice from one place, it would count twice towards the quorum of its locations.
                report(positions.ItemOf(monitor, "locations", i), $"{name} lists location '{location}' twice");
            }
        }

        ValidateTimings(monitor);
        if (monitor.ConfirmAfter < 1)
        {
            report(positions.ValueOf(monitor, "confirm_after"), "confirm_after must be at least 1");
        }

        if (kinds.TryGetValue(monitor, out var kind))
        {
            ValidateSubjects(monitor, kind, "conditions", monitor.Conditions);
            ValidateSubjects(monitor, kind, "degraded_when", monitor.DegradedWhen);
        }
    }

    private void ValidateTimings(MonitorConfig monitor)
    {
        if (monitor.Interval <= TimeSpan.Zero)
        {
            report(positions.ValueOf(monitor, "interval"), "interval must be more than 0");
        }

        if (monitor.Timeout <= TimeSpan.Zero)
        {
            report(positions.ValueOf(monitor, "timeout"), "timeout must be more than 0");
        }
        else if (monitor.Interval > TimeSpan.Zero && monitor.Timeout > monitor.Interval)
        {
            var at = positions.Has(monitor, "timeout") ? positions.ValueOf(monitor, "timeout") : positions.ValueOf(monitor, "interval");
            report(at,
                $"timeout ({Duration.Format(monitor.Timeout)}) must not be longer than interval ({Duration.Format(monitor.Interval)})");
        }
    }

    private void ValidateSubjects(MonitorConfig monitor, CheckKind kind, string key, IReadOnlyList<Monitoring.Conditions.Condition> conditions)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            var subject = conditions[i].Subject;
            if (kind.Subjects.Contains(subject))
            {
                continue;
            }

            var usable = kind.Subjects.Count == 0
                ? "they take no conditions"
                : $"conditions can use: {string.Join(", ", kind.Subjects.Order(StringComparer.Ordinal))}";
            report(positions.ItemOf(monitor, key, i), $"{kind.Name} monitors have no '{subject}'; {usable}");
        }
    }

    private void ValidateReferences(IMonitorReferences referring, object record, Dictionary<string, string> monitorTypes)
    {
        foreach (var reference in referring.References)
        {
            var at = positions.ValueOf(record, reference.Key);
            if (!monitorTypes.TryGetValue(reference.MonitorId, out var type))
            {
                var known = monitorTypes.Where(m => m.Value == reference.Type).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
                report(at, $"'{reference.MonitorId}' is not a monitor of this config{Known(reference.MonitorId, known, $"{reference.Type} monitors")}");
            }
            else if (type != reference.Type)
            {
                report(at, $"'{reference.MonitorId}' is a monitor of type {type}; {reference.Key} must name one of type {reference.Type}");
            }
        }
    }

    private void ValidateIncidents(IncidentDefaults incidents)
    {
        if (incidents.ConfirmAfter < 1)
        {
            report(positions.ValueOf(incidents, "confirm_after"), "confirm_after must be at least 1");
        }

        if (incidents.VerifyFor <= TimeSpan.Zero)
        {
            report(positions.ValueOf(incidents, "verify_for"), "verify_for must be more than 0");
        }
    }

    private string Describe(object record, string what, string id) =>
        positions.Has(record, "id") && id.Length > 0 ? $"{what} '{id}'" : what;

    private static string Known(string given, HashSet<string> known, string plural) =>
        Suggestions.Closest(given, known) is { } close ? $" — did you mean '{close}'?"
        : known.Count > 0 ? $"; defined {plural}: {string.Join(", ", known.Order(StringComparer.Ordinal))}"
        : $"; no {plural} are defined";

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]*\z")]
    private static partial Regex IdPattern();
}
