namespace Candor.Monitoring.Conditions;

/// <summary>
/// A value that a step of an http transaction takes from its response, for the steps after it: <c>json $.token</c>
/// or <c>header[Location]</c>. Parsed once, at load, with the same reader as conditions.
/// </summary>
public sealed class ValueCapture
{
    private readonly ConditionSubject _subject;

    private ValueCapture(string text, ConditionSubject subject)
    {
        Text = text;
        _subject = subject;
    }

    /// <summary>The capture as written in the config.</summary>
    public string Text { get; }

    /// <exception cref="ConditionSyntaxException">The text is not json $.path or header[Name].</exception>
    public static ValueCapture Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ValueCapture(text, new ConditionReader(text).ReadCapture());
    }

    /// <returns>The value as text, as it will be put into later steps; null when there is none, and why.</returns>
    public string? Take(Observation observation, out string problem)
    {
        problem = "";
        switch (_subject.Resolve(observation))
        {
            case Resolved.Text text:
                return text.Value;
            case Resolved.Number number:
                return number.Written;
            case Resolved.Flag flag:
                return flag.Display;
            case Resolved.JsonObject json:
                return json.Raw;
            case Resolved.Missing missing:
                problem = $"{Text} ({missing.Reason})";
                return null;
            case var other:
                problem = $"{Text} is {other.Display}, not one value";
                return null;
        }
    }

    public override string ToString() => Text;
}
