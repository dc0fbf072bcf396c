namespace Candor.Configuration;

/// <summary>Finds the name someone probably meant when they mistyped one.</summary>
internal static class Suggestions
{
    /// <summary>The closest known name, or null when none is close enough to be a plausible typo.</summary>
    public static string? Closest(string given, IEnumerable<string> known)
    {
        var allowed = Math.Max(1, given.Length / 3);
        var lower = given.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known.Order(StringComparer.Ordinal))
        {
            var distance = Distance(lower, name.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }

        return bestDistance <= allowed && bestDistance < given.Length ? best : null;
    }

    /// <summary><c> — did you mean 'x'?</c>, or an empty string when nothing is close.</summary>
    public static string DidYouMean(string given, IEnumerable<string> known) =>
        Closest(given, known) is { } name ? $" — did you mean '{name}'?" : "";

    /// <summary>Edit distance where swapping two neighbouring letters, the commonest typo, counts as one edit.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
