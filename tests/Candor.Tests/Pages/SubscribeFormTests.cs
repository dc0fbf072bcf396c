using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Candor.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Candor.Tests.Pages;

/// <summary>A visitor subscribes through the form, is told what happens next, and confirms from the e-mail.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SubscribeFormTests(Browser browser) : IAsyncLifetime
{
    private const string Visitor = "carol@example.com";

    private MailSink _mail = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _mail = await MailSink.StartAsync();
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status, url: "https://status.acme.example" }
            components:
              - { id: api, name: API }
              - { id: web, name: Website }
            notifications:
              smtp: { host: 127.0.0.1, port: {{_mail.Port}}, from: status@acme.example, starttls: false }
              backoff: 200ms

            """);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        await _mail.DisposeAsync();
    }

    [Fact]
    public async Task A_visitor_subscribes_to_one_component_through_the_form_and_confirms_from_the_mail()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = Browser.WatchErrors(page);
        await page.OpenAsync(_candor.Url("/"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribe" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Subscribe to updates");

        await page.GetByLabel("E-mail address").FillAsync(Visitor);
        await page.GetByLabel("API").CheckAsync();
        await Browser.ScreenshotAsync(page, "subscribe-form-filled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Check your inbox");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("a confirmation link is on its way");
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "subscribe-check-your-inbox");

        var mail = await _mail.WaitForAsync(Visitor, m => m.Subject.Contains("Confirm", StringComparison.Ordinal));
        var link = ConfirmLink().Match(mail.Text!);
        Assert.True(link.Success, mail.Text);
        await page.OpenAsync(_candor.Url(link.Groups[1].Value));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Subscribed");
        await Browser.ScreenshotAsync(page, "subscribe-confirmed");

        var subscriber = Assert.Single(await _candor.Http.GetFromJsonAsync<List<JsonElement>>("/api/v1/subscribers") ?? []);
        Assert.Equal(Visitor, subscriber.GetProperty("email").GetString());
        Assert.True(subscriber.GetProperty("confirmed").GetBoolean());
        Assert.Equal(["api"], subscriber.GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public async Task A_refused_subscription_shows_the_form_again_with_the_reason_and_the_address_as_typed()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync(_candor.Url("/subscribe"));

        // The browser's own check would stop a malformed address first; a tampered component reaches the server.
        await page.GetByLabel("E-mail address").FillAsync(Visitor);
        await page.Locator("input[name=components]").First.EvaluateAsync("box => { box.value = 'nope'; box.checked = true; }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("unknown component(s): nope");
        await Expect(page.GetByLabel("E-mail address")).ToHaveValueAsync(Visitor);
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "subscribe-refused");
    }

    [GeneratedRegex(@"https://status\.acme\.example(/subscribe/confirm/\S+)")]
    private static partial Regex ConfirmLink();
}
