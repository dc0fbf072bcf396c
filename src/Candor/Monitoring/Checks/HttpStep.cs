using System.Text.RegularExpressions;
using Candor.Configuration;
using Candor.Monitoring.Conditions;

namespace Candor.Monitoring.Checks;

/// <summary>
/// One request of an http transaction (the `steps:` of an http monitor). In <see cref="Path"/>, <see cref="Url"/>,
/// the header values and the <see cref="Body"/>, <c>{{name}}</c> stands for a value that an earlier step captured,
/// put in as it came, without escaping.
/// </summary>
public sealed partial record HttpStep : IValidatableConfig
{
    public string Method { get; init; } = "GET";

    /// <summary>Resolved against the monitor's target, as a link on that page would be: /login, ?page=2.</summary>
    public string? Path { get; init; }

    /// <summary>A whole URL, for a step on another host.</summary>
    public string? Url { get; init; }

    /// <summary>Sent besides the monitor's own headers, replacing any of the same name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Body { get; init; }

    /// <summary>Variable name → what to take from this step's response for the steps after it.</summary>
    public IReadOnlyDictionary<string, ValueCapture> Capture { get; init; } = new Dictionary<string, ValueCapture>();

    /// <summary>What this step's response must satisfy; `status &lt; 400` when none are given.</summary>
    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>The step as messages name it, before substitution so that no captured secret is shown: "POST /login".</summary>
    public string Label => $"{Method.ToUpperInvariant()} {Path ?? Url}";

    /// <summary>The names of the variables the step puts in, key by key, in order of appearance.</summary>
    internal IEnumerable<(string Key, string Name)> Uses()
    {
        var texts = new List<(string Key, string? Text)> { ("path", Path), ("url", Url), ("body", Body) };
        texts.AddRange(Headers.Values.Select(value => ("headers", (string?)value)));
        return texts
            .Where(t => t.Text is not null)
            .SelectMany(t => Placeholder().Matches(t.Text!).Select(m => (t.Key, m.Groups[1].Value)));
    }

    /// <summary>The text with each <c>{{name}}</c> replaced by its value; validation makes sure each one has a value.</summary>
    internal static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if ((Path is null) == (Url is null))
        {
            yield return Path is null
                ? new ConfigProblem(null, "a step needs a path (under the monitor's target) or a url")
                : new ConfigProblem("url", "a step has a path or a url, not both");
        }

        if (Url is not null && !Placeholder().IsMatch(Url) && !HttpSettings.IsHttpUrl(Url))
        {
            yield return new ConfigProblem("url", $"'{Url}' is not an http or https URL");
        }

        foreach (var problem in HttpSettings.ValidateRequest(Method, Headers))
        {
            yield return problem;
        }

        foreach (var name in Capture.Keys.Where(name => !VariableName().IsMatch(name)))
        {
            yield return new ConfigProblem(
                "capture", $"'{name}' is not a variable name: use letters, digits and '_', starting with a letter or '_'");
        }

        for (var i = 0; i < Conditions.Count; i++)
        {
            if (!HttpSettings.Subjects.Contains(Conditions[i].Subject))
            {
                yield return new ConfigProblem(
                    "conditions",
                    $"http monitors have no '{Conditions[i].Subject}'; conditions can use: {string.Join(", ", HttpSettings.Subjects.Order(StringComparer.Ordinal))}")
                {
                    Item = i,
                };
            }
        }
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex VariableName();
}
