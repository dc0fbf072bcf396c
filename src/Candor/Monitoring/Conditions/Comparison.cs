using System.Globalization;
using System.Text.RegularExpressions;

namespace Candor.Monitoring.Conditions;

/// <summary>
/// The outcome of one comparison. A <see cref="Note"/> means the two sides cannot be compared at all; such a
/// comparison never holds, whichever way its operator points, and the note tells the operator what to write.
/// </summary>
internal readonly record struct ComparisonOutcome(bool Holds, string? Note = null)
{
    public static readonly ComparisonOutcome Yes = new(true);

    public static readonly ComparisonOutcome No = new(false);

    public static ComparisonOutcome Is(bool holds) => holds ? Yes : No;

    public static ComparisonOutcome Because(string note) => new(false, note);

    public ComparisonOutcome Negated => Note is null ? Is(!Holds) : this;
}

/// <summary>The one shape every condition has: a subject, an operator, and a value.</summary>
internal sealed class Comparison(
    string text, ConditionSubject subject, string subjectWritten, ConditionOperator op, Literal value, Regex? pattern)
    : Condition
{
    public override string Text => text;

    public override string Subject => subject.Name;

    public override ConditionVerdict Evaluate(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var resolved = subject.Resolve(observation);
        var outcome = resolved is Resolved.Missing ? ComparisonOutcome.No : Compare(resolved);
        var explanation = $"{subjectWritten} ({resolved.Display}) {op.Text()} {value.Written}";
        return new ConditionVerdict(outcome.Holds, outcome.Note is null ? explanation : $"{explanation} — {outcome.Note}");
    }

    private ComparisonOutcome Compare(Resolved resolved) => op switch
    {
        ConditionOperator.Equal => Equal(resolved, value),
        ConditionOperator.NotEqual => Equal(resolved, value).Negated,
        ConditionOperator.Less => Order(resolved, c => c < 0),
        ConditionOperator.LessOrEqual => Order(resolved, c => c <= 0),
        ConditionOperator.Greater => Order(resolved, c => c > 0),
        ConditionOperator.GreaterOrEqual => Order(resolved, c => c >= 0),
        ConditionOperator.Contains => Contains(resolved),
        ConditionOperator.NotContains => Contains(resolved).Negated,
        ConditionOperator.Matches => Match(resolved),
        ConditionOperator.In => In(resolved),
        _ => In(resolved).Negated,
    };

    /// <summary>Equality by kind: numbers with numbers, durations with durations, strings with strings.</summary>
    private static ComparisonOutcome Equal(Resolved resolved, Literal literal)
    {
        if (literal.Kind == LiteralKind.List && resolved is not Resolved.List)
        {
            return ComparisonOutcome.Because("one value is not a list; use in to compare with each item of a list");
        }

        return resolved switch
        {
            Resolved.Number number => literal.Kind switch
            {
                LiteralKind.Number => ComparisonOutcome.Is(number.Value.Equals(literal.Number)),
                LiteralKind.Duration => ComparisonOutcome.Because("a number does not compare with a duration"),
                _ => ComparisonOutcome.No,
            },
            Resolved.Span span => literal.Kind switch
            {
                LiteralKind.Duration => ComparisonOutcome.Is(span.Value == literal.Duration),
                LiteralKind.Number => WriteADuration(literal),
                _ => ComparisonOutcome.No,
            },
            Resolved.Text { FromJson: true } text => ComparisonOutcome.Is(literal.IsString && text.Value == literal.Text),
            Resolved.Text text => ComparisonOutcome.Is(text.Value == literal.Text),
            Resolved.Flag flag => literal.Flag is { } expected ? ComparisonOutcome.Is(flag.Value == expected) : ComparisonOutcome.Because("write true or false"),
            Resolved.Null => ComparisonOutcome.Is(literal.IsNull),
            Resolved.List list => literal.Kind == LiteralKind.List
                ? ComparisonOutcome.Is(SameItems(list.Items, literal.Items))
                : ComparisonOutcome.Because("a list compares with a list such as [a, b]; use contains to look for one item"),
            _ => ComparisonOutcome.Because("the path leads to an object; name one of its fields"),
        };
    }

    private ComparisonOutcome Order(Resolved resolved, Func<int, bool> test) => (resolved, value.Kind) switch
    {
        (Resolved.Number number, LiteralKind.Number) => ComparisonOutcome.Is(test(number.Value.CompareTo(value.Number))),
        (Resolved.Number, LiteralKind.Duration) => ComparisonOutcome.Because("a number does not compare with a duration"),
        (Resolved.Span span, LiteralKind.Duration) => ComparisonOutcome.Is(test(span.Value.CompareTo(value.Duration))),
        (Resolved.Span, LiteralKind.Number) => WriteADuration(value),
        (Resolved.Text { FromJson: false } text, LiteralKind.Number) =>
            double.TryParse(text.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? ComparisonOutcome.Is(test(number.CompareTo(value.Number)))
                : ComparisonOutcome.Because("not a number"),
        _ => ComparisonOutcome.Because($"{op.Text()} compares numbers or durations"),
    };

    private ComparisonOutcome Contains(Resolved resolved) => resolved switch
    {
        Resolved.Text text => ComparisonOutcome.Is(text.Value.Contains(value.Text, StringComparison.Ordinal)),
        Resolved.List list => ComparisonOutcome.Is(list.Items.Any(item => Equal(item, value).Holds)),
        _ => ComparisonOutcome.Because("contains looks into text or a list"),
    };

    private ComparisonOutcome Match(Resolved resolved)
    {
        try
        {
            return resolved switch
            {
                Resolved.Text text => ComparisonOutcome.Is(pattern!.IsMatch(text.Value)),
                Resolved.List list => ComparisonOutcome.Is(list.Items.OfType<Resolved.Text>().Any(item => pattern!.IsMatch(item.Value))),
                _ => ComparisonOutcome.Because("matches looks into text"),
            };
        }
        catch (RegexMatchTimeoutException)
        {
            return ComparisonOutcome.Because("the pattern took too long on this value");
        }
    }

    private ComparisonOutcome In(Resolved resolved)
    {
        ComparisonOutcome? incomparable = null;
        foreach (var item in value.Items)
        {
            var outcome = Equal(resolved, item);
            if (outcome.Holds)
            {
                return outcome;
            }

            incomparable ??= outcome.Note is null ? null : outcome;
        }

        return incomparable ?? ComparisonOutcome.No;
    }

    /// <summary>The same items in any order, each counted as often as it occurs.</summary>
    private static bool SameItems(IReadOnlyList<Resolved> items, IReadOnlyList<Literal> expected)
    {
        if (items.Count != expected.Count)
        {
            return false;
        }

        var used = new bool[items.Count];
        foreach (var literal in expected)
        {
            var match = Enumerable.Range(0, items.Count).FirstOrDefault(i => !used[i] && Equal(items[i], literal).Holds, -1);
            if (match < 0)
            {
                return false;
            }

            used[match] = true;
        }

        return true;
    }

    private static ComparisonOutcome WriteADuration(Literal literal) =>
        ComparisonOutcome.Because($"write a duration, e.g. {literal.Number.ToString(CultureInfo.InvariantCulture)}ms");
}
