using System.Text.RegularExpressions;

namespace Candor.AdminConsole;

/// <summary>
/// User names are compared without case, so they are stored lower-cased; they appear on timelines and in the
/// audit log, so they are kept to characters that read plainly there.
/// </summary>
public static partial class UserNames
{
    public const string Rule = "1 to 64 letters, digits, '.', '_', '-' or '@'";

    /// <returns>The name as stored, or null when it breaks the rule.</returns>
    public static string? Normalize(string? name) =>
        name?.Trim().ToLowerInvariant() is { } lower && Valid().IsMatch(lower) ? lower : null;

    [GeneratedRegex("^[a-z0-9._@-]{1,64}$")]
    private static partial Regex Valid();
}
