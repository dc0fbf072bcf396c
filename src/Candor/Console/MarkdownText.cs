using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Candor.AdminConsole;

/// <summary>
/// Incident updates are Markdown written by people under pressure, sometimes pasting what a customer sent. Raw
/// HTML is shown as text, and a link or image may only point at http(s), mailto or a relative address: a
/// `javascript:` link is the one way left for Markdown to carry a script.
/// </summary>
public sealed class MarkdownText
{
    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    public Markup Render(string markdown)
    {
        var document = Markdown.Parse(markdown, _pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "";
            }

            if (!link.IsImage)
            {
                link.GetAttributes().AddPropertyIfNotExist("rel", "nofollow noopener noreferrer");
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().Where(a => !a.IsEmail && !IsSafe(a.Url)))
        {
            autolink.Url = "";
        }

        return new Markup(document.ToHtml(_pipeline));
    }

    /// <summary>Relative addresses and the schemes above; anything with another scheme, however spelled, is not.</summary>
    internal static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var pathStart = url.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (pathStart >= 0 && pathStart < colon))
        {
            return true;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var absolute)
            && SafeSchemes.Contains(absolute.Scheme, StringComparer.OrdinalIgnoreCase);
    }
}
