using Candor.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace Candor.Tests.Pages;

/// <summary>
/// An update carrying a script, a javascript: link and an image with onerror, in its name, body and customer
/// action, is shown as text on every page and nothing of it runs: each payload would set a flag in the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScriptInjectionTests(Browser browser) : IAsyncLifetime
{
    private const string Name = "<script>window.pwned = 'name'</script> outage";

    private const string Body = """
        <script>window.pwned = 'script'</script>
        [Click for details](javascript:window.pwned='link') and [this one](JaVaScRiPt:window.pwned='mixed')
        <img src=x onerror="window.pwned='img'">
        ![chart](javascript:window.pwned='image')
        <a href="javascript:window.pwned='anchor'">raw anchor</a>
        <svg onload="window.pwned='svg'"></svg>
        """;

    private const string Action = "<img src=x onerror=\"window.pwned='action'\"> re-send your e-mail";

    private CandorApp _candor = null!;

    public async Task InitializeAsync() =>
        _candor = await CandorApp.StartAsync("""
            page: { name: "<script>window.pwned='page'</script> Acme" }
            components:
              - { id: web, name: "<img src=x onerror=\"window.pwned='component'\">Website" }

            """);

    public Task DisposeAsync() => _candor.DisposeAsync().AsTask();

    [Fact]
    public async Task Markup_in_an_incident_is_shown_as_text_and_nothing_in_it_runs()
    {
        var id = await _candor.OpenIncidentAsync(Name, "web", "Looking into it.");
        await _candor.PostUpdateAsync(id, "identified", Body, Action);
        await _candor.WaitForPageAsync($"/incidents/{id}", "re-send your e-mail");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = Browser.WatchErrors(page);

        foreach (var path in new[] { $"/incidents/{id}", "/", "/history", "/subscribe", "/subscribe/webhook" })
        {
            await page.OpenAsync(_candor.Url(path));
            await page.Locator("body").HoverAsync();
            foreach (var day in await page.Locator(".day[tabindex]").AllAsync())
            {
                await day.FocusAsync();
            }

            Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
            Assert.Equal(0, await page.Locator("main img, main svg[onload], [onerror], [onload]").CountAsync());
            Assert.Equal(0, await page.Locator("a[href^='javascript' i]").CountAsync());
            Assert.Equal(1, await page.Locator("script").CountAsync());
            Assert.Equal(1, await page.GetByText("<script>window.pwned='page'</script> Acme").CountAsync());
        }

        await page.OpenAsync(_candor.Url($"/incidents/{id}"));
        await Expect(page.Locator("h1")).ToHaveTextAsync(Name);
        await Expect(page.Locator(".update .body").First).ToContainTextAsync("<script>window.pwned = 'script'</script>");
        await Expect(page.Locator(".update .body").First).ToContainTextAsync("<img src=x onerror=\"window.pwned='img'\">");
        await Expect(page.Locator(".action")).ToContainTextAsync(Action);

        // What was a javascript: link is plain text now: clicking it goes nowhere and runs nothing.
        await page.GetByText("Click for details").ClickAsync();
        Assert.EndsWith($"/incidents/{id}", page.Url, StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        await Browser.ScreenshotAsync(page, "script-injection-shown-as-text");
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
