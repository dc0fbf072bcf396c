using System.Globalization;
using Candor.Monitoring;

namespace Candor.StatusPage.Site;

/// <summary>
/// Badges in the flat style of shields.io, so they sit beside the other badges of a README: a grey label and a
/// coloured message, each padded to its text's width in 11 px Verdana. The text is also the image's accessible
/// name, and everything is in attributes: a badge is used as an image, where no stylesheet applies.
/// </summary>
public static class Badge
{
    public const string Green = "#2e7d32";
    public const string YellowGreen = "#6a7f10";
    public const string Yellow = "#8a6d00";
    public const string Orange = "#b45309";
    public const string Red = "#c62828";
    public const string Blue = "#1565c0";
    public const string Grey = "#555";

    private const double Padding = 6;

    public static string Status(string componentName, ComponentStatus status) => Render(
        componentName,
        Words(status),
        status switch
        {
            ComponentStatus.Operational => Green,
            ComponentStatus.DegradedPerformance => Yellow,
            ComponentStatus.PartialOutage => Orange,
            ComponentStatus.MajorOutage => Red,
            _ => Blue,
        });

    /// <param name="uptime">From 0 to 1; null when the component has no data yet.</param>
    public static string Uptime(int days, double? uptime) => Render(
        $"uptime {days.ToString(CultureInfo.InvariantCulture)}d",
        uptime is { } u ? Percent(u) : "no data",
        uptime switch
        {
            null => Grey,
            >= 0.999 => Green,
            >= 0.99 => YellowGreen,
            >= 0.95 => Yellow,
            _ => Red,
        });

    public static string Render(string label, string message, string color)
    {
        var labelWidth = Math.Round(TextWidth(label) + (2 * Padding));
        var messageWidth = Math.Round(TextWidth(message) + (2 * Padding));
        var width = labelWidth + messageWidth;
        var name = Html.Text($"{label}: {message}");
        string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{N(width)}" height="20" role="img" aria-label="{name}"><title>{name}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{N(width)}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{N(labelWidth)}" height="20" fill="{Grey}"/><rect x="{N(labelWidth)}" width="{N(messageWidth)}" height="20" fill="{color}"/><rect width="{N(width)}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="{N(labelWidth / 2)}" y="15" fill="#010101" fill-opacity=".3" aria-hidden="true">{Html.Text(label)}</text><text x="{N(labelWidth / 2)}" y="14">{Html.Text(label)}</text><text x="{N(labelWidth + (messageWidth / 2))}" y="15" fill="#010101" fill-opacity=".3" aria-hidden="true">{Html.Text(message)}</text><text x="{N(labelWidth + (messageWidth / 2))}" y="14">{Html.Text(message)}</text></g></svg>
            """;
    }

    /// <summary>"99.95%": two decimals, never rounded up to 100% while anything was down.</summary>
    public static string Percent(double uptime)
    {
        var hundredths = Math.Floor(uptime * 10_000) / 100;
        return hundredths.ToString(hundredths % 1 == 0 ? "0" : "0.##", CultureInfo.InvariantCulture) + "%";
    }

    public static string Words(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "operational",
        ComponentStatus.DegradedPerformance => "degraded performance",
        ComponentStatus.PartialOutage => "partial outage",
        ComponentStatus.MajorOutage => "major outage",
        _ => "under maintenance",
    };

    /// <summary>The width of a text in 11 px Verdana, from the widths of its character classes; close enough for padding.</summary>
    public static double TextWidth(string text) => text.Sum(c => c switch
    {
        'i' or 'l' or 'j' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' => 3.5,
        'f' or 't' or 'r' or 'I' or ' ' or '(' or ')' or '[' or ']' or '/' or '-' => 4.9,
        'm' or 'w' or 'M' or 'W' or '%' => 10.5,
        >= 'A' and <= 'Z' => 7.6,
        >= '0' and <= '9' => 7,
        _ => 6.8,
    });
}
