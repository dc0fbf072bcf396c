using System.Text.Json;
using System.Text.Json.Serialization;

namespace Candor.Tests.StatusPage;

/// <summary>
/// A strict client of the Statuspage API v2, written from the specification alone: the types it states, enums
/// with only its values, non-null timestamps where it says so. Unknown, missing and repeated keys fail, as do
/// nulls where the type has none and enum values out of the specification.
/// </summary>
public static class StatuspageClient
{
    public static JsonSerializerOptions Strict { get; } = CreateStrict();

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Strict)!;

    /// <summary>Whether the description is one the specification pairs with the indicator.</summary>
    public static bool IsSpecified(Status status) => status.Indicator switch
    {
        Indicator.None => status.Description is "All Systems Operational",
        Indicator.Minor => status.Description is "Minor Service Outage" or "Degraded System Service" or "Partially Degraded Service",
        Indicator.Major => status.Description is "Partial System Outage",
        Indicator.Critical => status.Description is "Major System Outage",
        Indicator.Maintenance => status.Description is "Service Under Maintenance",
        _ => false,
    };

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowDuplicateProperties = false,
            Converters = { new ExactEnumConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public enum Indicator
    {
        None,
        Minor,
        Major,
        Critical,
        Maintenance,
    }

    public enum ComponentStatus
    {
        Operational,
        DegradedPerformance,
        PartialOutage,
        MajorOutage,
        UnderMaintenance,
    }

    public enum IncidentStatus
    {
        Investigating,
        Identified,
        Monitoring,
        Resolved,
        Postmortem,
    }

    public enum Impact
    {
        None,
        Minor,
        Major,
        Critical,
    }

    public enum MaintenanceStatus
    {
        Scheduled,
        InProgress,
        Verifying,
        Completed,
    }

    public enum MaintenanceImpact
    {
        Maintenance,
        None,
        Minor,
        Major,
        Critical,
    }

    public sealed record Page(string Id, string Name, Uri Url, string TimeZone, DateTimeOffset UpdatedAt);

    public sealed record Status(Indicator Indicator, string Description);

    public sealed record Component(
        string Id,
        string Name,
        ComponentStatus Status,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        int Position,
        string? Description,
        bool Showcase,
        DateOnly? StartDate,
        string? GroupId,
        string PageId,
        bool Group,
        bool OnlyShowIfDegraded,
        IReadOnlyList<string>? Components = null);

    public sealed record AffectedComponent(string Code, string Name, ComponentStatus OldStatus, ComponentStatus NewStatus);

    public sealed record IncidentUpdate(
        string Id,
        IncidentStatus Status,
        string Body,
        string IncidentId,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        DateTimeOffset DisplayAt,
        IReadOnlyList<AffectedComponent>? AffectedComponents,
        bool DeliverNotifications,
        string? CustomTweet,
        decimal? TweetId);

    public sealed record MaintenanceUpdate(
        string Id,
        MaintenanceStatus Status,
        string Body,
        string IncidentId,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        DateTimeOffset DisplayAt,
        IReadOnlyList<AffectedComponent>? AffectedComponents,
        bool DeliverNotifications,
        string? CustomTweet,
        decimal? TweetId);

    public sealed record Incident(
        string Id,
        string Name,
        IncidentStatus Status,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        DateTimeOffset? MonitoringAt,
        DateTimeOffset? ResolvedAt,
        Impact Impact,
        Uri Shortlink,
        DateTimeOffset StartedAt,
        string PageId,
        IReadOnlyList<IncidentUpdate> IncidentUpdates,
        IReadOnlyList<Component> Components,
        string? ReminderIntervals);

    public sealed record Maintenance(
        string Id,
        string Name,
        MaintenanceStatus Status,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        DateTimeOffset? MonitoringAt,
        DateTimeOffset? ResolvedAt,
        MaintenanceImpact Impact,
        Uri Shortlink,
        DateTimeOffset StartedAt,
        string PageId,
        IReadOnlyList<MaintenanceUpdate> IncidentUpdates,
        IReadOnlyList<Component> Components,
        DateTimeOffset ScheduledFor,
        DateTimeOffset ScheduledUntil);

    public sealed record SummaryDocument(
        Page Page,
        IReadOnlyList<Component> Components,
        IReadOnlyList<Incident> Incidents,
        IReadOnlyList<Maintenance> ScheduledMaintenances,
        Status Status);

    public sealed record StatusDocument(Page Page, Status Status);

    public sealed record ComponentsDocument(Page Page, IReadOnlyList<Component> Components);

    public sealed record IncidentsDocument(Page Page, IReadOnlyList<Incident> Incidents);

    public sealed record MaintenancesDocument(Page Page, IReadOnlyList<Maintenance> ScheduledMaintenances);

    /// <summary>
    /// Enums as exactly their snake_case names. The stock converter also takes other casings, numbers in
    /// strings and comma-separated flags, which would let a wrong value through.
    /// </summary>
    private sealed class ExactEnumConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert))!;

        private sealed class Exact<T> : JsonConverter<T>
            where T : struct, Enum
        {
            private readonly Dictionary<string, T> _values = Enum.GetValues<T>()
                .ToDictionary(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()), StringComparer.Ordinal);

            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : reader.TokenType.ToString();
                return _values.TryGetValue(text, out var value) ? value : throw new JsonException($"Not a {typeof(T).Name}: {text}");
            }

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WriteStringValue(JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));
        }
    }
}
