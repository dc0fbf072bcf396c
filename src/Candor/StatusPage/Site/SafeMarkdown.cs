using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Candor.StatusPage.Site;

/// <summary>
/// Incident updates are written by people and read by the public, so their Markdown is rendered with raw HTML
/// disabled (it shows as text) and with every link whose scheme could run code turned back into plain text.
/// Images become links to the image: a status page must not load what an update points at.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseReferralLinks("nofollow", "noopener", "noreferrer")
        .Build();

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!IsSafe(link.Url))
            {
                Unwrap(link);
            }
            else
            {
                link.IsImage = false;
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!autolink.IsEmail && !IsSafe(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>Relative links and the web and mail schemes; anything else (javascript:, data:, vbscript:) is not a link here.</summary>
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        // Browsers drop control characters and spaces inside a scheme ("java\tscript:"), so judge it as they read it.
        var squeezed = new string([.. url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c))]);
        var colon = squeezed.IndexOf(':', StringComparison.Ordinal);
        var slash = squeezed.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon))
        {
            return true;
        }

        var scheme = squeezed[..colon];
        return scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("http", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Keeps what the link said (an image's alternative text), as text, and drops the link around it.</summary>
    private static void Unwrap(LinkInline link)
    {
        foreach (var child in link.ToList())
        {
            child.Remove();
            link.InsertBefore(child);
        }

        link.Remove();
    }
}
