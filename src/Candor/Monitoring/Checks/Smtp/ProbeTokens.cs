using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Candor.Monitoring.Checks.Smtp;

/// <summary>
/// The token that marks a probe message, e.g. <c>candor-probe-k3j5x7q2m4n6p8r2</c>: lowercase letters and digits
/// only, so it survives subject rewriting, JSON, form encoding and URLs unchanged, and can be found in whatever
/// text a mail pipeline passes on.
/// </summary>
public static partial class ProbeTokens
{
    public const string Prefix = "candor-probe-";

    /// <summary>How many tokens one ping may report; a digest of more is cut, not refused.</summary>
    private const int MaxPerPing = 50;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>80 random bits: probes never collide, and a report cannot be made up for a probe not seen.</summary>
    private const int RandomChars = 16;

    public static string New() => Prefix + RandomNumberGenerator.GetString(Alphabet, RandomChars);

    /// <summary>Every distinct token in the text, in order of appearance.</summary>
    public static IReadOnlyList<string> FindIn(string text) =>
        [.. TokenPattern().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).Take(MaxPerPing)];

    [GeneratedRegex(Prefix + "[a-z2-7]{16}(?![a-z0-9])")]
    private static partial Regex TokenPattern();
}
