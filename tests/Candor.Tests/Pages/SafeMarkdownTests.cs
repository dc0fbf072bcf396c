using Candor.StatusPage.Site;

namespace Candor.Tests.Pages;

public sealed class SafeMarkdownTests
{
    [Fact]
    public void Raw_html_is_shown_as_text()
    {
        var html = SafeMarkdown.ToHtml("Before <script>alert(1)</script> and <img src=x onerror=alert(2)> after");

        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](java\tscript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("<javascript:alert(1)>")]
    public void A_link_that_could_run_code_becomes_its_text(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("href", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Web_and_mail_links_stay_links_and_images_become_links()
    {
        var html = SafeMarkdown.ToHtml("See [the runbook](https://example.com/run?a=1&b=2), mail [us](mailto:ops@example.com), ![graph](https://example.com/g.png)");

        Assert.Contains("href=\"https://example.com/run?a=1&amp;b=2\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:ops@example.com\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com/g.png\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_still_formats()
    {
        Assert.Equal("<p><strong>Fixed</strong>: the <code>mx</code> record</p>\n", SafeMarkdown.ToHtml("**Fixed**: the `mx` record"));
    }
}
