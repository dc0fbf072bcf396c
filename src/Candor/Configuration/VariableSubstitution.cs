using System.Text;

namespace Candor.Configuration;

/// <param name="Index">Where in the value the <c>${</c> at fault starts.</param>
internal readonly record struct SubstitutionProblem(int Index, string Message);

/// <summary>
/// Replaces <c>${NAME}</c> and <c>${NAME:-default}</c> in one scalar value; <c>$${</c> stands for a literal <c>${</c>.
/// Values are substituted after YAML parsing, so a secret holding a colon or a quote cannot break the file.
/// </summary>
internal static class VariableSubstitution
{
    public static string Apply(string text, Func<string, string?> variables, ICollection<SubstitutionProblem> problems)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text.AsSpan(i).StartsWith("$${", StringComparison.Ordinal))
            {
                result.Append("${");
                i += 3;
            }
            else if (text.AsSpan(i).StartsWith("${", StringComparison.Ordinal))
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    problems.Add(new(i, "'${' is not closed with '}' (write $${ for a literal ${)"));
                    result.Append(text, i, text.Length - i);
                    break;
                }

                result.Append(Lookup(text[(i + 2)..close], i, variables, problems));
                i = close + 1;
            }
            else
            {
                result.Append(text[i]);
                i++;
            }
        }

        return result.ToString();
    }

    private static string Lookup(string inner, int at, Func<string, string?> variables, ICollection<SubstitutionProblem> problems)
    {
        var separator = inner.IndexOf(":-", StringComparison.Ordinal);
        var name = separator < 0 ? inner : inner[..separator];
        var fallback = separator < 0 ? null : inner[(separator + 2)..];
        if (!IsName(name))
        {
            problems.Add(new(at, $"'{name}' is not a variable name: write ${{NAME}} or ${{NAME:-default}}"));
            return "";
        }

        // As in the shell, `:-` also covers a variable that is set but empty.
        var value = variables(name);
        if (fallback is not null && string.IsNullOrEmpty(value))
        {
            value = fallback;
        }

        if (value is null)
        {
            problems.Add(new(at, $"environment variable '{name}' is not set (write ${{{name}:-default}} to give a default)"));
            return "";
        }

        return value;
    }

    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
