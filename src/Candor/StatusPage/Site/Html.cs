using System.Net;

namespace Candor.StatusPage.Site;

/// <summary>Every text that reaches a page goes through here: names, titles and updates are written by people.</summary>
public static class Html
{
    /// <summary>Text for an element's content or a quoted attribute value (quotes are encoded too).</summary>
    public static string Text(string? text) => WebUtility.HtmlEncode(text ?? "");
}
