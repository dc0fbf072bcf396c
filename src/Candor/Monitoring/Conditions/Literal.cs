namespace Candor.Monitoring.Conditions;

internal enum LiteralKind
{
    /// <summary>A number, or a percentage, which compares as its number: 20% is 20.</summary>
    Number,
    Duration,

    /// <summary>A quoted string.</summary>
    Quoted,

    /// <summary>A bare word: a string, except that true, false and null also match JSON's.</summary>
    Word,
    List,
}

/// <summary>The value on the right of a condition, as parsed.</summary>
/// <param name="Written">As written in the condition, for the explanation.</param>
/// <param name="Text">The value as text: the string without its quotes, or the number as written.</param>
internal sealed record Literal(LiteralKind Kind, string Written, string Text)
{
    public double Number { get; init; }

    public TimeSpan Duration { get; init; }

    public IReadOnlyList<Literal> Items { get; init; } = [];

    public bool? Flag => Kind == LiteralKind.Word ? Text switch { "true" => true, "false" => false, _ => null } : null;

    public bool IsNull => Kind == LiteralKind.Word && Text == "null";

    /// <summary>A string to compare with a JSON string: quoted, or a bare word that is not true, false or null.</summary>
    public bool IsString => Kind == LiteralKind.Quoted || (Kind == LiteralKind.Word && Flag is null && !IsNull);
}
