using System.Text;
using Candor.Configuration;

namespace Candor.Monitoring.Checks;

/// <summary>
/// The keys of a `tcp` monitor. In <see cref="Send"/> and <see cref="Expect"/>, <c>\r</c>, <c>\n</c>, <c>\t</c>,
/// <c>\0</c> and <c>\\</c> stand for the characters, so line-based protocols can be written in plain YAML.
/// </summary>
public sealed record TcpSettings : IValidatableConfig
{
    /// <summary>Written once connected, as UTF-8.</summary>
    public string? Send { get; init; }

    /// <summary>Text the peer must send (UTF-8); the check reads until it appears, the peer closes, or time runs out.</summary>
    public string? Expect { get; init; }

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (monitor is not null)
        {
            if (string.IsNullOrWhiteSpace(monitor.Target))
            {
                yield return new ConfigProblem("target", "a tcp monitor needs a target host:port, e.g. db.internal:5432");
            }
            else if (!HostPort.TryParse(monitor.Target, out _))
            {
                yield return new ConfigProblem(
                    "target", $"'{monitor.Target}' is not host:port (an IPv6 address is written [2001:db8::1]:443)");
            }
        }

        if (Send is not null && Unescape(Send, out var sendProblem) is null)
        {
            yield return new ConfigProblem("send", sendProblem!);
        }

        if (Expect is not null)
        {
            if (Unescape(Expect, out var expectProblem) is not { } expect)
            {
                yield return new ConfigProblem("expect", expectProblem!);
            }
            else if (expect.Length == 0)
            {
                yield return new ConfigProblem("expect", "expect must not be empty: it would match anything");
            }
        }
    }

    /// <returns>The text with its escapes replaced, or null (and the problem) when an escape is unknown.</returns>
    internal static string? Unescape(string text, out string? problem)
    {
        problem = null;
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            if (i + 1 == text.Length)
            {
                problem = "a '\\' at the end escapes nothing (write \\\\ for a backslash)";
                return null;
            }

            var escaped = text[++i];
            char? replacement = escaped switch
            {
                'r' => '\r',
                'n' => '\n',
                't' => '\t',
                '0' => '\0',
                '\\' => '\\',
                _ => null,
            };
            if (replacement is null)
            {
                problem = $"unknown escape '\\{escaped}' (use \\r, \\n, \\t, \\0 or \\\\)";
                return null;
            }

            result.Append(replacement.Value);
        }

        return result.ToString();
    }
}
