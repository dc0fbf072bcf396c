using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Configuration;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Candor.Tests.Pages;

/// <summary>
/// `candor export` writes the page from the store of a server that watched a real outage; a real nginx serves the
/// folder, and a visitor browses it: the links between the files work, and the API, feeds and badges are there.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExportThroughNginxTests(Browser browser) : IAsyncLifetime, IDisposable
{
    private readonly ClosedPort _down = new();
    private readonly TempDirectory _dir = new();
    private CandorApp _candor = null!;

    private string Yaml => $$"""
        page: { name: Acme Status, url: "https://status.acme.example", time_zone: Europe/Berlin }
        components:
          - { id: api, name: API }
          - { id: web, name: Website }
        monitors:
          - { id: api-port, name: API port, component: api, type: tcp, target: "127.0.0.1:{{_down.Port}}", interval: 1s, timeout: 500ms }
        notifications:
          smtp: { host: 127.0.0.1, port: {{_down.Port}}, from: status@acme.example, starttls: false }

        """;

    public async Task InitializeAsync() => _candor = await CandorApp.StartAsync(Yaml);

    public Task DisposeAsync() => _candor.DisposeAsync().AsTask();

    public void Dispose()
    {
        _dir.Dispose();
        _down.Dispose();
    }

    [Fact]
    public async Task The_exported_page_served_by_nginx_shows_the_outage_and_links_file_to_file()
    {
        await _candor.WaitForPageAsync("/", "API: major outage");
        var id = (await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=open"))[0].GetProperty("id").GetString()!;
        await _candor.PostUpdateAsync(id, "identified", "The *database* is out of disk.", "Retry your last order.");
        var storage = _candor.Services.GetRequiredService<CandorConfig>().Storage;
        var config = _dir.Write("candor.yaml", $"storage: \"{storage}\"\n{Yaml}");
        var folder = Path.Combine(_dir.Path, "site");

        var (exit, output) = await CandorProcess.RunAsync(_dir.Path, "export", "--config", config, "--out", folder);

        Assert.True(exit == 0, output);
        Assert.Contains("Exported ", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "incidents", id + ".html")));
        await using var nginx = await NginxServer.StartAsync(folder);
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = Browser.WatchErrors(page);

        await page.OpenAsync(nginx.BaseAddress.ToString());
        await Expect(page.Locator("#overall")).ToHaveTextAsync("Partial System Outage");
        await Expect(page.Locator("#component-api .status")).ToHaveTextAsync("Major Outage");
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "export-through-nginx-home");

        await page.GetByRole(AriaRole.Link, new() { Name = "API: major outage" }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("API: major outage");
        Assert.Equal(new Uri(nginx.BaseAddress, $"incidents/{id}.html").ToString(), page.Url);
        await Expect(page.Locator(".action")).ToContainTextAsync("Retry your last order.");
        await Expect(page.Locator(".update em")).ToHaveTextAsync("database");
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "export-through-nginx-incident");

        await page.GetByRole(AriaRole.Link, new() { Name = "Current status" }).ClickAsync();
        await page.Locator("#component-api").GetByRole(AriaRole.Link, new() { Name = "API", Exact = true }).ClickAsync();
        Assert.Equal(new Uri(nginx.BaseAddress, "components/api.html").ToString(), page.Url);
        await Expect(page.Locator("h1")).ToHaveTextAsync("API");
        await Expect(page.Locator("figure.chart.default svg")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "History" }).First.ClickAsync();
        Assert.Equal(new Uri(nginx.BaseAddress, "history.html").ToString(), page.Url);
        await Expect(page.Locator("main")).ToContainTextAsync("API: major outage");
        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribe" }).ClickAsync();
        Assert.Equal("https://status.acme.example/subscribe", await page.Locator("form").GetAttributeAsync("action"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Acme Status" }).ClickAsync();
        Assert.Equal(new Uri(nginx.BaseAddress, "index.html").ToString(), page.Url);
        Assert.True(errors.Count == 0, string.Join('\n', errors));

        using var http = new HttpClient { BaseAddress = nginx.BaseAddress };
        var badge = await http.GetAsync("badge/api.svg");
        Assert.Equal("image/svg+xml", badge.Content.Headers.ContentType?.MediaType);
        Assert.Contains("API: major outage", await badge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("uptime 30d", await http.GetStringAsync("badge/api/uptime.svg?days=30"), StringComparison.Ordinal);
        var summary = await http.GetFromJsonAsync<JsonElement>("api/v2/summary.json");
        Assert.Equal("Acme Status", summary.GetProperty("page").GetProperty("name").GetString());
        Assert.Equal(id, summary.GetProperty("incidents")[0].GetProperty("id").GetString());
        Assert.Contains("API: major outage", await http.GetStringAsync("feed.atom"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("maintenance.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v2/scheduled-maintenances/upcoming.json")).StatusCode);
    }
}
