using System.Text.Json;
using System.Text.RegularExpressions;

namespace Candor.Tests.StatusPage;

/// <summary>
/// Compares two JSON documents by shape: the same keys in the same order at every level, the same kinds of
/// values, and timestamps and dates written in the same layout. Values themselves may differ.
/// </summary>
public static partial class JsonShape
{
    public static IReadOnlyList<string> Differences(string expected, string actual)
    {
        using var expectedDocument = JsonDocument.Parse(expected);
        using var actualDocument = JsonDocument.Parse(actual);
        var differences = new List<string>();
        Compare(expectedDocument.RootElement, actualDocument.RootElement, "$", null, differences);
        return differences;
    }

    public static bool IsTimestampKey(string key) =>
        key.EndsWith("_at", StringComparison.Ordinal) || key is "scheduled_for" or "scheduled_until";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")]
    public static partial Regex Timestamp();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    public static partial Regex Date();

    private static void Compare(JsonElement expected, JsonElement actual, string path, string? key, List<string> differences)
    {
        if (Kind(expected) != Kind(actual))
        {
            differences.Add($"{path}: {Kind(actual)} where the example has {Kind(expected)}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToList();
                var actualKeys = actual.EnumerateObject().Select(p => p.Name).ToList();
                if (!expectedKeys.SequenceEqual(actualKeys))
                {
                    differences.Add($"{path}: keys [{string.Join(",", actualKeys)}] where the example has [{string.Join(",", expectedKeys)}]");
                }

                foreach (var name in expectedKeys.Intersect(actualKeys))
                {
                    Compare(expected.GetProperty(name), actual.GetProperty(name), $"{path}.{name}", name, differences);
                }

                break;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    differences.Add($"{path}: {actual.GetArrayLength()} items where the example has {expected.GetArrayLength()}");
                }

                foreach (var (e, a, i) in expected.EnumerateArray().Zip(actual.EnumerateArray(), Enumerable.Range(0, int.MaxValue)))
                {
                    Compare(e, a, $"{path}[{i}]", key, differences);
                }

                break;
            case JsonValueKind.String when key is not null && IsTimestampKey(key):
                CompareLayout(Timestamp(), expected.GetString()!, actual.GetString()!, path, differences);
                if (Offset(expected.GetString()!) != Offset(actual.GetString()!))
                {
                    differences.Add($"{path}: offset of {actual.GetString()} differs from the example's {expected.GetString()}");
                }

                break;
            case JsonValueKind.String when key is "start_date":
                CompareLayout(Date(), expected.GetString()!, actual.GetString()!, path, differences);
                break;
            case JsonValueKind.Number when !actual.TryGetInt32(out _):
                differences.Add($"{path}: {actual.GetRawText()} is not an integer");
                break;
        }
    }

    private static void CompareLayout(Regex layout, string expected, string actual, string path, List<string> differences)
    {
        if (!layout.IsMatch(expected))
        {
            differences.Add($"{path}: the example's {expected} is not in the expected layout");
        }

        if (!layout.IsMatch(actual))
        {
            differences.Add($"{path}: {actual} is not in the layout {layout}");
        }
    }

    private static string Offset(string timestamp) => timestamp.EndsWith('Z') ? "Z" : timestamp[^6..];

    /// <summary>Booleans are one kind, whichever their value.</summary>
    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString().ToLowerInvariant(),
    };
}
