using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Candor.Configuration;

namespace Candor.Monitoring.Conditions;

public static class ConditionParser
{
    /// <exception cref="ConditionSyntaxException">The text is not a condition.</exception>
    public static Condition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ConditionReader(text).Read();
    }
}

/// <summary>
/// Reads <c>subject operator value</c> from left to right, by hand rather than with a grammar library, so that
/// each error can say exactly what was expected at exactly which character.
/// </summary>
internal sealed class ConditionReader(string text)
{
    /// <summary>Long enough for any sane pattern on any body; short enough that a runaway one cannot stall a check.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private const string OperatorChars = "=!<>";

    private int _position;

    private bool AtEnd => _position >= text.Length;

    private char Next => text[_position];

    public Comparison Read()
    {
        SkipSpaces();
        if (AtEnd)
        {
            throw Error("the condition is empty: write one such as status == 200");
        }

        var subjectStart = _position;
        var subject = ReadSubject();
        var subjectWritten = text[subjectStart.._position];
        SkipSpaces();
        var op = ReadOperator(subjectWritten);
        SkipSpaces();
        if (AtEnd)
        {
            throw Error($"expected a value after '{op.Text()}'");
        }

        var valueStart = _position;
        var value = Next == '[' ? ReadList() : ReadScalar(inList: false);
        SkipSpaces();
        if (!AtEnd)
        {
            throw Error($"unexpected '{text[_position..].Split(' ')[0]}' after the value; quote a value that has spaces");
        }

        return new Comparison(text, subject, subjectWritten, op, value, CheckValue(op, value, valueStart));
    }

    /// <summary>Reads the whole text as what a capture takes: <c>json $.path</c> or <c>header[Name]</c>, nothing else.</summary>
    public ConditionSubject ReadCapture()
    {
        SkipSpaces();
        var start = _position;
        if (AtEnd)
        {
            throw Error("expected what to capture: json $.path or header[Name]");
        }

        var subject = ReadSubject();
        if (subject is not (JsonSubject or HeaderSubject))
        {
            throw Error("a capture takes json $.path or header[Name]", start);
        }

        SkipSpaces();
        if (!AtEnd)
        {
            throw Error($"unexpected '{text[_position..].Split(' ')[0]}' after {text[start.._position].TrimEnd()}");
        }

        return subject;
    }

    private ConditionSubject ReadSubject()
    {
        if (AtEnd || !(char.IsAsciiLetter(Next) || Next == '_'))
        {
            throw Error("expected what to check, such as status, body, header[Name], json $.path or len(answers)");
        }

        var name = ReadWhile(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        switch (name)
        {
            case "len":
                SkipSpaces();
                Expect('(', "expected '(' after len");
                SkipSpaces();
                var inner = ReadSubject();
                SkipSpaces();
                Expect(')', "expected ')' to close len(");
                return new LengthSubject(inner);
            case "body":
                return new BodySubject();
            case "header":
                return ReadHeader();
            case "json":
                SkipSpaces();
                return new JsonSubject(ReadJsonPath());
            default:
                return new FactSubject(name);
        }
    }

    private HeaderSubject ReadHeader()
    {
        var open = _position;
        Expect('[', "expected a header name in brackets, such as header[Content-Type]");
        var close = text.IndexOf(']', _position);
        if (close < 0)
        {
            throw Error("expected ']' to close header[", open);
        }

        var name = text[_position..close].Trim();
        if (name.Length == 0)
        {
            throw Error("expected a header name between [ and ]");
        }

        _position = close + 1;
        return new HeaderSubject(name);
    }

    private JsonPath ReadJsonPath()
    {
        Expect('$', "expected a JSON path after json, such as $.status");
        var steps = new List<JsonPathStep>();
        while (!AtEnd && Next is '.' or '[')
        {
            if (Next == '.')
            {
                _position++;
                var name = ReadWhile(c => !char.IsWhiteSpace(c) && !".[]()\"'".Contains(c, StringComparison.Ordinal)
                    && !OperatorChars.Contains(c, StringComparison.Ordinal));
                if (name.Length == 0)
                {
                    throw Error("expected a name after '.' in the JSON path");
                }

                steps.Add(new JsonPathStep(name, 0));
                continue;
            }

            _position++;
            if (!AtEnd && Next is '"' or '\'')
            {
                steps.Add(new JsonPathStep(ReadQuoted(), 0));
            }
            else
            {
                var digitsStart = _position;
                var digits = ReadWhile(char.IsAsciiDigit);
                if (digits.Length == 0)
                {
                    throw Error("expected an index or a quoted name after '['");
                }

                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw Error($"the index {digits} is too large", digitsStart);
                }

                steps.Add(new JsonPathStep(null, index));
            }

            Expect(']', "expected ']' in the JSON path");
        }

        return new JsonPath(steps);
    }

    private ConditionOperator ReadOperator(string subjectWritten)
    {
        var expected = $"expected an operator ({ConditionOperatorText.All}) after '{subjectWritten}'";
        var start = _position;
        if (!AtEnd && OperatorChars.Contains(Next, StringComparison.Ordinal))
        {
            var symbol = ReadWhile(c => OperatorChars.Contains(c, StringComparison.Ordinal));
            return symbol switch
            {
                "==" => ConditionOperator.Equal,
                "!=" => ConditionOperator.NotEqual,
                "<" => ConditionOperator.Less,
                "<=" => ConditionOperator.LessOrEqual,
                ">" => ConditionOperator.Greater,
                ">=" => ConditionOperator.GreaterOrEqual,
                "=" => throw Error("unknown operator '=' (write == to compare)", start),
                _ => throw Error($"unknown operator '{symbol}'", start),
            };
        }

        switch (ReadWhile(char.IsAsciiLetter))
        {
            case "contains":
                return ConditionOperator.Contains;
            case "matches":
                return ConditionOperator.Matches;
            case "in":
                return ConditionOperator.In;
            case "not":
                SkipSpaces();
                var negatedStart = _position;
                return ReadWhile(char.IsAsciiLetter) switch
                {
                    "contains" => ConditionOperator.NotContains,
                    "in" => ConditionOperator.NotIn,
                    _ => throw Error("expected contains or in after not", negatedStart),
                };
            default:
                throw Error(expected, start);
        }
    }

    private Literal ReadList()
    {
        var start = _position;
        _position++;
        var items = new List<Literal>();
        SkipSpaces();
        while (AtEnd || Next != ']')
        {
            SkipSpaces();
            if (AtEnd)
            {
                throw Error("the list is not closed with ']'", start);
            }

            if (Next == '[')
            {
                throw Error("a list cannot hold another list");
            }

            items.Add(ReadScalar(inList: true));
            SkipSpaces();
            if (!AtEnd && Next == ',')
            {
                _position++;
            }
            else if (!AtEnd && Next != ']')
            {
                throw Error("expected ',' or ']' in the list");
            }
        }

        _position++;
        var written = text[start.._position];
        return new Literal(LiteralKind.List, written, written) { Items = items };
    }

    private Literal ReadScalar(bool inList)
    {
        var start = _position;
        if (Next is '"' or '\'')
        {
            var quoted = ReadQuoted();
            return new Literal(LiteralKind.Quoted, text[start.._position], quoted);
        }

        var word = ReadWhile(c => !char.IsWhiteSpace(c) && !(inList && c is ',' or ']'));
        if (word.Length == 0)
        {
            throw Error("expected a value in the list");
        }

        var numberLength = NumberLength(word);
        if (numberLength == word.Length)
        {
            return new Literal(LiteralKind.Number, word, word) { Number = ParseNumber(word) };
        }

        if (numberLength > 0 && numberLength == word.Length - 1 && word[^1] == '%')
        {
            return new Literal(LiteralKind.Number, word, word) { Number = ParseNumber(word[..^1]) };
        }

        if (numberLength > 0 && char.IsAsciiLetter(word[numberLength]))
        {
            return Duration.TryParse(word, out var duration)
                ? new Literal(LiteralKind.Duration, word, word) { Duration = duration }
                : throw Error($"'{word}' is not a duration: {Duration.Hint}", start);
        }

        return new Literal(LiteralKind.Word, word, word);
    }

    /// <summary>Reads a string in double or single quotes, where a backslash escapes the quote and itself.</summary>
    private string ReadQuoted()
    {
        var start = _position;
        var quote = Next;
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated string", start);
            }

            var c = Next;
            if (c == '\\' && _position + 1 < text.Length && (text[_position + 1] == quote || text[_position + 1] == '\\'))
            {
                value.Append(text[_position + 1]);
                _position += 2;
            }
            else if (c == quote)
            {
                _position++;
                return value.ToString();
            }
            else
            {
                value.Append(c);
                _position++;
            }
        }
    }

    /// <summary>Checks that the value suits the operator, and compiles the pattern of <c>matches</c> once, here.</summary>
    private Regex? CheckValue(ConditionOperator op, Literal value, int at)
    {
        if (op is ConditionOperator.In or ConditionOperator.NotIn)
        {
            return value.Kind == LiteralKind.List ? null : throw Error($"expected a list such as [200, 204] after '{op.Text()}'", at);
        }

        if (op.IsOrdering() && value.Kind is not (LiteralKind.Number or LiteralKind.Duration))
        {
            throw Error($"'{op.Text()}' compares numbers or durations, not '{value.Written}'", at);
        }

        if (op is ConditionOperator.Contains or ConditionOperator.NotContains or ConditionOperator.Matches
            && value.Kind == LiteralKind.List)
        {
            throw Error($"'{op.Text()}' takes one value, not a list", at);
        }

        if (op != ConditionOperator.Matches)
        {
            return null;
        }

        try
        {
            return new Regex(value.Text, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw Error($"invalid regular expression: {e.Message}", at);
        }
    }

    /// <summary>How many leading characters form a number: an optional minus, digits, and an optional decimal part.</summary>
    private static int NumberLength(string word)
    {
        var i = word.StartsWith('-') ? 1 : 0;
        var digitsStart = i;
        while (i < word.Length && char.IsAsciiDigit(word[i]))
        {
            i++;
        }

        if (i == digitsStart)
        {
            return 0;
        }

        if (i + 1 < word.Length && word[i] == '.' && char.IsAsciiDigit(word[i + 1]))
        {
            i++;
            while (i < word.Length && char.IsAsciiDigit(word[i]))
            {
                i++;
            }
        }

        return i;
    }

    private static double ParseNumber(string number) => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);

    private string ReadWhile(Func<char, bool> accept)
    {
        var start = _position;
        while (!AtEnd && accept(Next))
        {
            _position++;
        }

        return text[start.._position];
    }

    private void SkipSpaces() => ReadWhile(char.IsWhiteSpace);

    private void Expect(char expected, string message)
    {
        if (AtEnd || Next != expected)
        {
            throw Error(message);
        }

        _position++;
    }

    private ConditionSyntaxException Error(string message, int? at = null) => new(at ?? _position, message);
}
