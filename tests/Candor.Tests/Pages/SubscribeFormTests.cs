using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Candor.Tests.Fixtures;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Candor.Tests.Pages;

/// <summary>
/// A visitor subscribes an address or a webhook through the forms, is told what happens next, and confirms from the
/// e-mail; a webhook's signing key is shown on confirming.
/// </summary>
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

    [Fact]
    public async Task A_visitor_subscribes_a_webhook_and_is_shown_its_signing_key_on_confirming()
    {
        const string Hook = "https://hooks.example.com/status";
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync(_candor.Url("/subscribe"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Subscribe a webhook" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Subscribe a webhook");
        await Browser.AssertAccessibleAsync(page);

        await page.GetByLabel("Webhook URL").FillAsync("ftp://hooks.example.com/status");
        await page.GetByLabel("Contact e-mail address").FillAsync(Visitor);
        await page.GetByLabel("Website").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe the webhook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("is not an http or https URL");
        await Expect(page.GetByLabel("Webhook URL")).ToHaveValueAsync("ftp://hooks.example.com/status");
        await Expect(page.GetByLabel("Website")).ToBeCheckedAsync();
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "subscribe-webhook-refused");

        await page.GetByLabel("Webhook URL").FillAsync(Hook);
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe the webhook" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Check your inbox");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"on its way to {Visitor}");

        var mail = await _mail.WaitForAsync(Visitor, m => m.Subject.Contains("Confirm", StringComparison.Ordinal));
        var link = ConfirmLink().Match(mail.Text!);
        Assert.True(link.Success, mail.Text);
        await page.OpenAsync(_candor.Url(link.Groups[1].Value));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Confirm the webhook");
        await Expect(page.Locator("main code")).ToHaveTextAsync(Hook);
        await Browser.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and show the key" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Webhook subscribed");
        await Expect(page.Locator("code.key")).ToHaveTextAsync(SigningKey());
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "subscribe-webhook-confirmed");

        await page.OpenAsync(_candor.Url("/subscribe/webhook"));
        await page.GetByLabel("Webhook URL").FillAsync(Hook);
        await page.GetByLabel("Contact e-mail address").FillAsync(Visitor);
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe the webhook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That webhook URL is already subscribed.");
        await Browser.AssertAccessibleAsync(page);
    }

    [GeneratedRegex(@"https://status\.acme\.example(/subscribe/confirm/\S+)")]
    private static partial Regex ConfirmLink();

    /// <summary>256 random bits in URL-safe base64, as every key and token is made.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex SigningKey();
}
