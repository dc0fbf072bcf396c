using System.Globalization;
using System.Text.Json;

namespace Candor.Monitoring.Conditions;

/// <summary>What a condition looks at, resolved anew on every observation.</summary>
internal abstract class ConditionSubject
{
    /// <summary>The base name that check types list as their subjects: body, header, json, status, ...</summary>
    public abstract string Name { get; }

    public abstract Resolved Resolve(Observation observation);
}

internal sealed class BodySubject : ConditionSubject
{
    public override string Name => "body";

    public override Resolved Resolve(Observation observation) =>
        observation.Body is { } body ? new Resolved.Text(body, FromJson: false) : new Resolved.Missing("no body");
}

internal sealed class HeaderSubject(string header) : ConditionSubject
{
    public override string Name => "header";

    /// <summary>
    /// Header names are case-insensitive; the lookup does not rely on the dictionary's comparer, because a check may
    /// build its headers with the default one.
    /// </summary>
    public override Resolved Resolve(Observation observation)
    {
        if (observation.Headers.TryGetValue(header, out var value))
        {
            return new Resolved.Text(value, FromJson: false);
        }

        var match = observation.Headers.FirstOrDefault(h => string.Equals(h.Key, header, StringComparison.OrdinalIgnoreCase));
        return match.Key is null ? new Resolved.Missing("absent") : new Resolved.Text(match.Value, FromJson: false);
    }
}

internal sealed class JsonSubject(JsonPath path) : ConditionSubject
{
    public override string Name => "json";

    public override Resolved Resolve(Observation observation)
    {
        if (observation.Body is not { } body)
        {
            return new Resolved.Missing("no body");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return path.Find(document.RootElement) is { } element ? FromJson(element) : new Resolved.Missing("missing");
        }
        catch (JsonException)
        {
            return new Resolved.Missing("body is not JSON");
        }
    }

    /// <summary>Copies the element out, since the document is disposed once the condition is evaluated.</summary>
    private static Resolved FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new Resolved.Text(element.GetString()!, FromJson: true),
        JsonValueKind.Number => new Resolved.Number(
            double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture), element.GetRawText()),
        JsonValueKind.True => new Resolved.Flag(true),
        JsonValueKind.False => new Resolved.Flag(false),
        JsonValueKind.Array => new Resolved.List([.. element.EnumerateArray().Select(FromJson)]),
        JsonValueKind.Object => new Resolved.JsonObject(element.GetRawText(), element.EnumerateObject().Count()),
        _ => new Resolved.Null(),
    };
}

/// <summary>Any other name: a fact the check reported, such as status, cert_expires_in or answers.</summary>
internal sealed class FactSubject(string name) : ConditionSubject
{
    private const string ResponseTime = "response_time";

    public override string Name => name;

    public override Resolved Resolve(Observation observation)
    {
        if (observation.Facts.TryGetValue(name, out var fact))
        {
            return FromFact(fact);
        }

        return name == ResponseTime ? new Resolved.Span(observation.ResponseTime) : new Resolved.Missing("missing");
    }

    private static Resolved FromFact(object fact) => fact switch
    {
        TimeSpan span => new Resolved.Span(span),
        string text => new Resolved.Text(text, FromJson: false),
        bool flag => new Resolved.Flag(flag),
        long or int or short or byte or ulong or uint or ushort or sbyte or double or float or decimal =>
            new Resolved.Number(Convert.ToDouble(fact, CultureInfo.InvariantCulture), Convert.ToString(fact, CultureInfo.InvariantCulture)!),
        IEnumerable<string> items => new Resolved.List([.. items.Select(i => new Resolved.Text(i, FromJson: false))]),
        _ => new Resolved.Text(Convert.ToString(fact, CultureInfo.InvariantCulture) ?? "", FromJson: false),
    };
}

/// <summary><c>len(x)</c>: the length of a text, or the number of items in a list or fields in an object.</summary>
internal sealed class LengthSubject(ConditionSubject inner) : ConditionSubject
{
    public override string Name => inner.Name;

    public override Resolved Resolve(Observation observation) => inner.Resolve(observation) switch
    {
        Resolved.Missing missing => missing,
        Resolved.Text text => Count(text.Value.Length),
        Resolved.List list => Count(list.Items.Count),
        Resolved.JsonObject obj => Count(obj.Count),
        var other => new Resolved.Missing($"{other.Display} has no length"),
    };

    private static Resolved.Number Count(int count) => new(count, count.ToString(CultureInfo.InvariantCulture));
}
