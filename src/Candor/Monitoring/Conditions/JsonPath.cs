using System.Text.Json;

namespace Candor.Monitoring.Conditions;

/// <summary>One step of a JSON path: a property by name, or an array item by index.</summary>
internal readonly record struct JsonPathStep(string? Name, int Index);

/// <summary>A path such as <c>$.items[0].id</c> or <c>$["odd name"]</c>, parsed once with its condition.</summary>
internal sealed class JsonPath(IReadOnlyList<JsonPathStep> steps)
{
    /// <returns>The element the path leads to, or null when some step finds nothing.</returns>
    public JsonElement? Find(JsonElement root)
    {
        var current = root;
        foreach (var step in steps)
        {
            if (step.Name is { } name)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    return null;
                }
            }
            else if (current.ValueKind == JsonValueKind.Array && step.Index < current.GetArrayLength())
            {
                current = current[step.Index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}
