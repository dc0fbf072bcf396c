using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Candor.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Candor.Tests.Pages;

/// <summary>
/// axe-core on every public page, with something on each to check: an outage with its incident and an update,
/// a resolved incident, maintenance ahead, grouped components, charts; in light and dark, on a desk and a phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(Browser browser) : IAsyncLifetime, IDisposable
{
    private readonly ClosedPort _down = new();
    private TcpListener _up = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _up = new TcpListener(IPAddress.Loopback, 0);
        _up.Start();
        var upPort = ((IPEndPoint)_up.LocalEndpoint).Port;
        var maintenance = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status, url: "https://status.acme.example", time_zone: America/New_York }
            components:
              - { id: web, name: Website, description: The shop and the blog }
              - { id: api, name: API, group: Platform }
              - { id: mail, name: Support e-mail, group: Platform }
            monitors:
              - { id: web-port, name: Shop port, component: web, type: tcp, target: "127.0.0.1:{{upPort}}", interval: 1s, timeout: 500ms }
              - { id: api-port, name: API port, component: api, type: tcp, target: "127.0.0.1:{{_down.Port}}", interval: 1s, timeout: 500ms }
            maintenance:
              - { id: db, title: Database upgrade, components: [mail], starts: {{maintenance}}, duration: 2h }
            notifications:
              smtp: { host: 127.0.0.1, port: {{_down.Port}}, from: status@acme.example, starttls: false }

            """);
    }

    public Task DisposeAsync() => _candor.DisposeAsync().AsTask();

    /// <summary>After the server has stopped watching them.</summary>
    public void Dispose()
    {
        _up.Dispose();
        _down.Dispose();
    }

    [Fact]
    public async Task No_public_page_has_a_serious_or_critical_accessibility_violation()
    {
        await _candor.WaitForPageAsync("/", "API: major outage");
        var open = await OpenIncidentIdAsync();
        await _candor.PostUpdateAsync(open, "identified", "A **firewall change** blocks the port. See [the notice](https://example.com/notice).", "Retry failed API calls.");
        var old = await _candor.OpenIncidentAsync("Slow sign-in", "web", "Sign-in takes *seconds*.");
        var resolved = await _candor.Http.PostAsJsonAsync($"/api/v1/incidents/{old}/resolve", new { @override = true, reason = "Fixed by hand; the checks never saw it." });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        await _candor.WaitForPageAsync("/history", "Slow sign-in");
        await _candor.WaitForPageAsync($"/incidents/{open}", "Retry failed API calls.");

        var pages = new[] { "/", "/components/api", $"/incidents/{open}", $"/incidents/{old}", "/history", "/subscribe", "/subscribe/webhook" };
        foreach (var (scheme, phone) in new[] { (ColorScheme.Light, false), (ColorScheme.Dark, false), (ColorScheme.Light, true) })
        {
            await using var context = await browser.NewContextAsync(scheme, phone);
            var page = await context.NewPageAsync();
            var errors = Browser.WatchErrors(page);
            foreach (var path in pages)
            {
                await page.OpenAsync(_candor.Url(path));
                await Browser.AssertAccessibleAsync(page);
                var name = $"accessible-{(path == "/" ? "home" : path.StartsWith("/incidents/", StringComparison.Ordinal) ? "incidents" : path.Trim('/').Replace('/', '-'))}-{scheme.ToString().ToLowerInvariant()}{(phone ? "-phone" : "")}";
                await Browser.ScreenshotAsync(page, path.StartsWith("/incidents/", StringComparison.Ordinal) && path.EndsWith(old, StringComparison.Ordinal) ? name + "-resolved" : name);
            }

            Assert.True(errors.Count == 0, string.Join('\n', errors));
        }
    }

    [Fact]
    public async Task A_troubled_day_shows_its_detail_on_keyboard_focus_and_a_components_page_has_its_charts_by_range()
    {
        await _candor.WaitForPageAsync("/", "API: major outage");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync(_candor.Url("/"));

        var today = page.Locator("#component-api .day").Last;
        await Expect(today.Locator(".tip")).ToBeHiddenAsync();
        await today.FocusAsync();
        await Expect(today.Locator(".tip")).ToBeVisibleAsync();
        await Expect(today.Locator(".tip")).ToContainTextAsync("major outage");
        await Expect(today.Locator(".tip a")).ToHaveTextAsync("API: major outage");
        await Browser.ScreenshotAsync(page, "troubled-day-focused");
        await Expect(page.Locator("figure")).ToHaveCountAsync(0);

        await page.Locator("#component-api h4").GetByRole(AriaRole.Link, new() { Name = "API", Exact = true }).ClickAsync();
        Assert.Equal(_candor.Url("/components/api"), page.Url);
        await Expect(page.Locator("h1")).ToHaveTextAsync("API");
        await Expect(page.Locator(".day").Last).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bs-major\b"));
        await Expect(page.Locator("#chart-api-port-24h")).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-api-port-7d")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "7 days" }).ClickAsync();
        await Expect(page.Locator("#chart-api-port-7d")).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-api-port-24h")).ToBeHiddenAsync();
        await Expect(page.Locator("#chart-api-port-7d title")).ToHaveTextAsync("API port: average response time, last 7 days");
        await Browser.ScreenshotAsync(page, "component-page");
    }

    /// <remarks>
    /// The component was created with the server, so the 89 days before today have no data: one entry, drawn as 89
    /// days, with one summary.
    /// </remarks>
    [Fact]
    public async Task Quiet_days_in_a_row_are_one_entry_as_wide_as_its_days_that_says_its_summary_once_and_shows_it_on_hover()
    {
        await _candor.WaitForPageAsync("/", "API: major outage");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync(_candor.Url("/"));

        var days = page.Locator("#component-web .day");
        await Expect(days).ToHaveCountAsync(2);
        var first = days.First;
        var summary = first.Locator(".vh");
        await Expect(summary).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^89 days, .+: no data$"));
        Assert.Null(await first.GetAttributeAsync("title"));
        await Expect(summary).ToHaveCSSAsync("white-space", "nowrap");
        var bar = (await page.Locator("#component-web .bar").BoundingBoxAsync())!;
        var run = (await first.BoundingBoxAsync())!;
        var today = (await days.Last.BoundingBoxAsync())!;
        Assert.InRange(run.Width / bar.Width, 0.97, 0.99);
        Assert.InRange(today.Width * 90 / bar.Width, 0.8, 1.0);
        Assert.InRange(today.X - (run.X + run.Width), 1, 3);

        await first.HoverAsync();
        await Expect(summary).ToHaveCSSAsync("white-space", "normal");
        Assert.True((await summary.BoundingBoxAsync())!.Width > 100, "the summary shows as a tip, not a pixel");
        await Browser.ScreenshotAsync(page, "quiet-days-hovered");
    }

    private async Task<string> OpenIncidentIdAsync()
    {
        var open = await _candor.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/incidents?status=open");
        return open[0].GetProperty("id").GetString()!;
    }
}
