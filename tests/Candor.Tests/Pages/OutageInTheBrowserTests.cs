using System.Net;
using System.Net.Sockets;
using Candor.Bench.Peers;
using Candor.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace Candor.Tests.Pages;

/// <summary>
/// A visitor watches the page while a real monitor watches a real TCP port that is turned off and on again: the
/// outage appears on its own (the page refreshes itself) and on the badge, and goes away again.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OutageInTheBrowserTests(Browser browser) : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private TcpListener _target = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _target = Listen();
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status, time_zone: Europe/Berlin }
            components:
              - { id: api, name: API }
              - { id: web, name: Website }
            monitors:
              - { id: api-port, name: API port, component: api, type: tcp, target: "127.0.0.1:{{_port}}", interval: 1s, timeout: 500ms }
            incidents: { confirm_after: 2, verify_for: 3s }

            """);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        _target.Dispose();
    }

    [Fact]
    public async Task A_visitor_sees_an_outage_appear_and_disappear_on_the_page_and_on_the_badge()
    {
        await _candor.WaitForMonitorAsync("api-port", m => CandorApp.HasStatus(m, "up"));
        await _candor.WaitForPageAsync("/", "All Systems Operational");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = Browser.WatchErrors(page);

        // The page's clock is the test's, so that its 30-second refresh can be run at once.
        await page.Clock.InstallAsync();
        await page.OpenAsync(_candor.Url("/"));
        await Expect(page.Locator("#overall")).ToHaveTextAsync("All Systems Operational");
        await Expect(page.Locator("#component-api .status")).ToHaveTextAsync("Operational");
        await Expect(page.Locator("footer")).ToContainTextAsync("Europe/Berlin (UTC+01:00)");

        _target.Stop();
        await _candor.WaitForPageAsync("/", "Partial System Outage");
        await page.Clock.FastForwardAsync("00:31");
        await Expect(page.Locator("#overall")).ToHaveTextAsync("Partial System Outage", new() { Timeout = 10_000 });
        await Expect(page.Locator("#component-api .status")).ToHaveTextAsync("Major Outage");
        await Expect(page.Locator("#active-incidents + article h3")).ToHaveTextAsync("API: major outage");
        await Expect(page.Locator("#component-api .day").Last).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bs-major\b"));
        await ScreenshotAsync(context, "outage-appears-on-the-page");

        var badge = await context.NewPageAsync();
        await badge.GotoAsync(_candor.Url("/badge/api.svg"));
        Assert.Equal("API: major outage", await badge.Locator("svg").GetAttributeAsync("aria-label"));
        await Browser.ScreenshotAsync(badge, "outage-appears-on-the-badge", fullPage: false);

        _target = Listen();
        await _candor.WaitForPageAsync("/", "All Systems Operational");
        await page.ReloadUntilAsync("#overall", "All Systems Operational");
        await Expect(page.Locator("#component-api .status")).ToHaveTextAsync("Operational");
        await badge.ReloadAsync();
        Assert.Equal("API: operational", await badge.Locator("svg").GetAttributeAsync("aria-label"));
        await ScreenshotAsync(context, "outage-disappears-from-the-page");
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    /// <summary>From a page of its own: a screenshot waits for animation frames, which the faked clock holds back.</summary>
    private async Task ScreenshotAsync(Microsoft.Playwright.IBrowserContext context, string name)
    {
        var shot = await context.NewPageAsync();
        await shot.OpenAsync(_candor.Url("/"));
        await Browser.ScreenshotAsync(shot, name);
        await shot.CloseAsync();
    }

    private TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, _port);
        listener.Start();
        return listener;
    }
}
