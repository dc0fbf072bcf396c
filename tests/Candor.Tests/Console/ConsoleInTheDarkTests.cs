using Candor.Storage;
using Candor.Tests.Fixtures;
using Candor.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Candor.Tests.ConsoleTests;

/// <summary>
/// A responder paged at night signs in with the system in dark mode: axe-core's contrast rules hold on the sign-in
/// page and the dashboard, and the browser asks for nothing the console does not serve (a favicon among them).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleInTheDarkTests(Browser browser) : IAsyncLifetime
{
    private const string Password = "paged at three in the morning";
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _candor = await CandorApp.StartAsync("""
            page: { name: Acme Status }
            components:
              - { id: web, name: Website }

            """);
        await ConsoleClient.AddUserAsync(_candor, "nadia", ApiRole.Responder, Password);
    }

    public Task DisposeAsync() => _candor.DisposeAsync().AsTask();

    [Fact]
    public async Task The_console_reads_clearly_in_dark_mode_and_loads_nothing_it_lacks()
    {
        await using var context = await browser.NewContextAsync(ColorScheme.Dark);
        var page = await context.NewPageAsync();
        var errors = Browser.WatchErrors(page);

        await page.GotoAsync(_candor.Url("/admin"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);

        await page.GetByLabel("Name").FillAsync("nadia");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Incidents", Exact = true })).ToBeVisibleAsync();
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "console-dashboard-dark");

        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
