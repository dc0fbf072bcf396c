using System.Collections.Frozen;
using System.Data.Common;
using System.Text.Json;

namespace Candor.Storage;

/// <summary>
/// How values look in columns. Both dialects store the same representation (Unix milliseconds, milliseconds as
/// doubles, snake_case names for enums), which is what lets every query but the bulk paths be shared.
/// </summary>
internal static class StoredValues
{
    /// <remarks>Sub-millisecond precision is dropped: no check measures time finer than that.</remarks>
    public static long UnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? UnixMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromUnixMs(long? value) => value is { } ms ? FromUnixMs(ms) : null;

    public static double Ms(TimeSpan value) => value.TotalMilliseconds;

    public static double? Ms(TimeSpan? value) => value?.TotalMilliseconds;

    /// <remarks>Rounded to whole ticks, so a duration read back equals the one written.</remarks>
    public static TimeSpan FromMs(double value) =>
        TimeSpan.FromTicks((long)Math.Round(value * TimeSpan.TicksPerMillisecond));

    public static string Name<T>(T value)
        where T : struct, Enum => EnumNames<T>.ByValue[value];

    public static string? Name<T>(T? value)
        where T : struct, Enum => value is { } present ? EnumNames<T>.ByValue[present] : null;

    public static T Parse<T>(string name)
        where T : struct, Enum =>
        EnumNames<T>.ByName.TryGetValue(name, out var value)
            ? value
            : throw new InvalidDataException($"The store holds '{name}', which is not a known {typeof(T).Name}.");

    public static long? GetNullableInt64(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static double? GetNullableDouble(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    public static string? GetNullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Snake_case names, the spelling the API uses too (<c>degraded_performance</c>), computed once per type.</summary>
    private static class EnumNames<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue = Enum.GetValues<T>()
            .ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

        public static readonly FrozenDictionary<string, T> ByName = ByValue
            .ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);
    }
}
