using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Candor.Notifications;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

/// <summary>
/// A webhook subscribed on the public page, over plain HTTP as a browser without JavaScript sends the form, against
/// a real SMTP server and a real HTTP receiver. Nothing goes to the URL until the contact given with it follows the
/// mailed link and confirms; then every incident update arrives, signed with the key the confirmation showed.
/// </summary>
public sealed partial class PublicWebhookTests : IAsyncLifetime
{
    private const string Contact = "hooks@example.com";
    private static readonly string[] Api = ["api"];

    private MailSink _mail = null!;
    private WebhookReceiver _hooks = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _mail = await MailSink.StartAsync();
        _hooks = await WebhookReceiver.StartAsync();
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status, url: "https://status.acme.example" }
            components:
              - { id: api, name: API }
              - { id: support, name: Support desk }
            notifications:
              smtp: { host: 127.0.0.1, port: {{_mail.Port}}, from: status@acme.example, starttls: false }
              backoff: 200ms
              timeout: 5s
              private_webhooks: true

            """);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        await _hooks.DisposeAsync();
        await _mail.DisposeAsync();
    }

    [Fact]
    public async Task A_webhook_subscribed_on_the_form_gets_signed_incident_updates_once_its_contact_confirms()
    {
        var url = _hooks.Url + "/status";
        var asked = await SubscribeAsync(url, "Hooks@Example.com", "api");
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        Assert.Contains("A link to confirm the webhook is on its way to hooks@example.com.", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var mail = await _mail.WaitForAsync(Contact, m => m.Subject == "[Acme Status] Confirm your subscription");
        Assert.Contains($"to send its incident updates about API to this webhook:\n\n{url}\n", mail.Text!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var link = ConfirmLink().Match(mail.Text!);
        Assert.True(link.Success, mail.Text);

        // Following the link, as a mail scanner does, only shows what is about to start.
        var followed = await _candor.Anonymous.GetAsync(link.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.Contains("Confirm and show the key", await followed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(Assert.Single(await SubscribersAsync()).GetProperty("confirmed").GetBoolean());

        var confirmed = await _candor.Anonymous.PostAsync(link.Groups[1].Value, null);
        var page = await confirmed.Content.ReadAsStringAsync();
        var again = await _candor.Anonymous.PostAsync(link.Groups[1].Value, null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("no-store", confirmed.Headers.CacheControl?.ToString());
        Assert.Contains("<h1>Webhook subscribed</h1>", page, StringComparison.Ordinal);
        var key = KeyShown().Match(page);
        Assert.True(key.Success, page);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.DoesNotContain(key.Groups[1].Value, await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var subscriber = Assert.Single(await SubscribersAsync());
        Assert.Equal(url, subscriber.GetProperty("webhook_url").GetString());
        Assert.Equal(Contact, subscriber.GetProperty("contact").GetString());
        Assert.Equal(Api, subscriber.GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        Assert.True(subscriber.GetProperty("confirmed").GetBoolean());

        var id = await OpenIncidentAsync();
        var opened = await _hooks.WaitForAsync("/status", "opened");

        Assert.Equal(opened.SignatureWith(key.Groups[1].Value), opened.Headers[WebhookSignature.SignatureHeader]);
        using var body = JsonDocument.Parse(opened.Body);
        Assert.Equal(id, body.RootElement.GetProperty("incident").GetProperty("id").GetString());
        Assert.StartsWith("https://status.acme.example/unsubscribe/", body.RootElement.GetProperty("meta").GetProperty("unsubscribe").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_whose_contact_has_not_confirmed_gets_nothing()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await SubscribeAsync(_hooks.Url + "/unconfirmed", Contact)).StatusCode);
        await _mail.WaitForAsync(Contact, m => m.Subject.Contains("Confirm", StringComparison.Ordinal));
        var added = await _candor.Http.PostAsJsonAsync("/api/v1/subscribers", new { webhook_url = _hooks.Url + "/confirmed" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        await OpenIncidentAsync();
        await _hooks.WaitForAsync("/confirmed", "opened");

        Assert.Empty(_hooks.To("/unconfirmed"));
        Assert.Single(_mail.To(Contact));
    }

    [Fact]
    public async Task The_form_says_what_is_wrong_with_a_webhook_and_when_it_is_already_subscribed()
    {
        var notUrl = await SubscribeAsync("hooks.example.com/status", Contact);
        var ftp = await SubscribeAsync("ftp://hooks.example.com/status", Contact);
        var noContact = await SubscribeAsync("https://hooks.example.com/status", "");
        var added = await _candor.Http.PostAsJsonAsync("/api/v1/subscribers", new { webhook_url = "https://hooks.example.com/status" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var taken = await SubscribeAsync("https://hooks.example.com/status", Contact);
        var takenJson = await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { webhook_url = "https://hooks.example.com/status", email = Contact });

        await AssertRefusedAsync(notUrl, HttpStatusCode.BadRequest, "&#39;hooks.example.com/status&#39; is not a URL");
        await AssertRefusedAsync(ftp, HttpStatusCode.BadRequest, "&#39;ftp://hooks.example.com/status&#39; is not an http or https URL");
        await AssertRefusedAsync(noContact, HttpStatusCode.BadRequest, "an e-mail address is needed");
        await AssertRefusedAsync(taken, HttpStatusCode.Conflict, "That webhook URL is already subscribed.");
        Assert.Equal(HttpStatusCode.Conflict, takenJson.StatusCode);
        Assert.Equal("application/problem+json", takenJson.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, _mail.Count);
    }

    /// <summary>The webhook form sent as a browser sends it, JavaScript or not.</summary>
    private Task<HttpResponseMessage> SubscribeAsync(string webhookUrl, string contact, params string[] components) =>
        _candor.Anonymous.PostAsync(
            "/subscribe",
            new FormUrlEncodedContent([new("webhook_url", webhookUrl), new("email", contact), .. components.Select(c => new KeyValuePair<string, string>("components", c))]));

    /// <summary>The webhook form again, with the reason and the URL as typed.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Contains("<h1>Subscribe a webhook</h1>", html, StringComparison.Ordinal);
        Assert.Contains(reason, html, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
    }

    private async Task<JsonElement[]> SubscribersAsync() =>
        await _candor.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/subscribers") ?? [];

    private async Task<string> OpenIncidentAsync()
    {
        var created = await _candor.Http.PostAsJsonAsync(
            "/api/v1/incidents", new { name = "API errors", components = Api, status = "investigating", body = "Looking." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [GeneratedRegex(@"https://status\.acme\.example(/subscribe/confirm/\S+)")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex("<code class=\"key\">([A-Za-z0-9_-]{43})</code>")]
    private static partial Regex KeyShown();
}
