using System.Text.RegularExpressions;
using Candor.Configuration;

namespace Candor.Monitoring.Conditions;

/// <summary>What a subject came to on one observation, ready to be compared and shown in an explanation.</summary>
internal abstract partial record Resolved
{
    /// <summary>About as much of a value as an explanation can show and still be read at a glance.</summary>
    private const int Shown = 60;

    /// <summary>The value as the explanation shows it, between the parentheses.</summary>
    public abstract string Display { get; }

    /// <summary>Puts a value on one line and cuts it to about <see cref="Shown"/> characters.</summary>
    protected static string Cut(string text)
    {
        var line = LineBreaks().Replace(text, " ");
        if (line.Length <= Shown)
        {
            return line;
        }

        var cut = char.IsHighSurrogate(line[Shown - 1]) ? line[..(Shown - 1)] : line[..Shown];
        return cut + "…";
    }

    [GeneratedRegex(@"\s*[\r\n\t]\s*")]
    private static partial Regex LineBreaks();

    /// <summary>There is no value to compare; <see cref="Reason"/> says why (absent, missing, body is not JSON).</summary>
    public sealed record Missing(string Reason) : Resolved
    {
        public override string Display => Reason;
    }

    /// <param name="Written">The number as the probe or the body gave it.</param>
    public sealed record Number(double Value, string Written) : Resolved
    {
        public override string Display => Written;
    }

    public sealed record Span(TimeSpan Value) : Resolved
    {
        public override string Display => Duration.Format(Value);
    }

    /// <param name="FromJson">
    /// A JSON string compares only with strings, and is shown in quotes so that <c>"7"</c> and <c>7</c> look different.
    /// Text from a header or a body may also be compared as a number.
    /// </param>
    public sealed record Text(string Value, bool FromJson) : Resolved
    {
        public override string Display => Cut(FromJson ? $"\"{Value}\"" : Value);
    }

    public sealed record Flag(bool Value) : Resolved
    {
        public override string Display => Value ? "true" : "false";
    }

    /// <summary>A JSON null.</summary>
    public sealed record Null : Resolved
    {
        public override string Display => "null";
    }

    public sealed record List(IReadOnlyList<Resolved> Items) : Resolved
    {
        public override string Display => Cut($"[{string.Join(", ", Items.Select(i => i.Display))}]");
    }

    /// <summary>A JSON object, kept as its text; only its size can be compared.</summary>
    public sealed record JsonObject(string Raw, int Count) : Resolved
    {
        public override string Display => Cut(Raw);
    }
}
