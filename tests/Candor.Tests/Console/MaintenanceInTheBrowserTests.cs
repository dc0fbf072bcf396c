using System.Globalization;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Candor.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Candor.Tests.ConsoleTests;

/// <summary>
/// A responder schedules maintenance in the console in Debian's Chromium, fixing the one field the form refused,
/// starts it early, finds it under way in the list and on the dashboard, and the public status page shows the
/// component under maintenance. axe-core checks every console page on the way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MaintenanceInTheBrowserTests(Browser browser) : IAsyncLifetime
{
    private const string Password = "on call all night";
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _candor = await CandorApp.StartAsync("""
            page: { name: Acme Status, time_zone: Europe/Berlin }
            components:
              - { id: storage, name: Storage }
              - { id: web, name: Website }

            """);
        await ConsoleClient.AddUserAsync(_candor, "rita", ApiRole.Responder, Password);
    }

    public Task DisposeAsync() => _candor.DisposeAsync().AsTask();

    [Fact]
    public async Task A_responder_schedules_and_starts_maintenance_and_the_status_page_shows_the_component_under_it()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = Browser.WatchErrors(page);

        await page.GotoAsync(_candor.Url("/admin"));
        await page.GetByLabel("Name").FillAsync("rita");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Maintenance", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Maintenance", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#upcoming + p")).ToHaveTextAsync("No maintenance is scheduled.");
        await Browser.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Schedule maintenance" }).ClickAsync();
        await Expect(page.GetByLabel("Time zone of the start")).ToHaveValueAsync("Europe/Berlin");
        await Browser.AssertAccessibleAsync(page);
        await page.GetByLabel("Title (public)").FillAsync("Storage firmware upgrade");
        await page.GetByLabel("Description").FillAsync("Uploads **pause** for a few minutes.");
        await page.GetByLabel("Storage", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Starts").FillAsync(DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.GetByLabel("Duration").FillAsync("2 hours");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule maintenance" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("'2 hours' is not a duration: use 30s, 5m, 2h, 14d.");
        await Expect(page.GetByLabel("Title (public)")).ToHaveValueAsync("Storage firmware upgrade");
        await Expect(page.GetByLabel("Storage", new() { Exact = true })).ToBeCheckedAsync();
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "console-maintenance-form-refused");

        await page.GetByLabel("Duration").FillAsync("2h");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule maintenance" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The window is scheduled, and the subscribers of its components are told.");
        await Expect(page.Locator("#window-state")).ToHaveTextAsync("scheduled");
        await Expect(page.Locator(".summary .zone")).ToContainTextAsync("Europe/Berlin");
        await Expect(page.Locator("#description + .markdown strong")).ToHaveTextAsync("pause");
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "console-maintenance-scheduled");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The maintenance has started: its components show as under maintenance.");
        await Expect(page.Locator("#window-state")).ToHaveTextAsync("in progress");
        await Expect(page.Locator(".timeline .event-started")).ToContainTextAsync("The maintenance has started.");
        await Expect(page.Locator(".timeline .event-started .markdown strong")).ToHaveTextAsync("pause");
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "console-maintenance-started");

        await page.GetByRole(AriaRole.Link, new() { Name = "Maintenance", Exact = true }).First.ClickAsync();
        await Expect(page.Locator("#under-way + table")).ToContainTextAsync("Storage firmware upgrade");
        await Expect(page.Locator("#under-way + table .zone")).ToContainTextAsync("Europe/Berlin");
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "console-maintenance-list");

        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(page.Locator(".panel.maintenance")).ToContainTextAsync("Storage firmware upgrade");
        await Expect(page.Locator("ul.components a.tag")).ToHaveTextAsync("maintenance: Storage firmware upgrade");
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "console-dashboard-maintenance");
        // A refused form answers 400, which the browser logs; that is neither a script error nor a blocked style.
        var unexpected = errors.Where(e => !e.Contains("status of 400", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join('\n', unexpected));

        var status = await context.NewPageAsync();
        await status.OpenAsync(_candor.Url("/"));
        await status.ReloadUntilAsync("#component-storage .status", "Under Maintenance");
        await Expect(status.Locator("#component-web .status")).ToHaveTextAsync("Operational");
        await Expect(status.Locator("#maintenance + ul")).ToContainTextAsync("Storage firmware upgrade");
        await Browser.ScreenshotAsync(status, "status-page-under-maintenance");
    }
}
