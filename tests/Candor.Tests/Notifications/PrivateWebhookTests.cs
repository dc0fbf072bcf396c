using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Notifications;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Candor.Tests.Notifications;

/// <summary>
/// With the default config, no subscriber's webhook reaches the network Candor runs in: it is refused when it is
/// subscribed, and, for one already stored, when it is sent. The operator's own channels go where the config says.
/// </summary>
public sealed class PrivateWebhookTests : IAsyncLifetime
{
    private static readonly string[] Support = ["support"];

    private MailSink _mail = null!;
    private WebhookReceiver _hooks = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _mail = await MailSink.StartAsync();
        _hooks = await WebhookReceiver.StartAsync();
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status, url: "https://status.acme.example" }
            components: [ { id: support, name: Support desk } ]
            notifications:
              smtp: { host: 127.0.0.1, port: {{_mail.Port}}, from: status@acme.example, starttls: false }
              channels: [ { id: ops, type: webhook, url: "{{_hooks.Url}}/ops" } ]
              backoff: 200ms

            """);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        await _hooks.DisposeAsync();
        await _mail.DisposeAsync();
    }

    [Fact]
    public async Task A_webhook_at_a_private_address_is_refused_by_the_api_and_the_public_form()
    {
        var byAdmin = await _candor.Http.PostAsJsonAsync("/api/v1/subscribers", new { webhook_url = _hooks.Url + "/admin" });
        var byVisitor = await _candor.Anonymous.PostAsJsonAsync(
            "/subscribe", new { webhook_url = "http://169.254.169.254/latest/meta-data", email = "mallory@example.com" });

        await AssertRefusedAsync(byAdmin, "127.0.0.1 is not a public address");
        await AssertRefusedAsync(byVisitor, "169.254.169.254 is not a public address");
        Assert.Empty(await _candor.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/subscribers") ?? []);
        Assert.Equal(0, _mail.Count);
    }

    [Fact]
    public async Task A_stored_webhook_at_a_private_address_is_not_sent_and_waits_dead_with_the_reason()
    {
        var store = _candor.Services.GetRequiredService<ICandorStore>();
        await store.AddSubscriberAsync(
            ConfirmedSubscriber.Webhook("old-hook", _hooks.Url + "/subscriber", Support, DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, (await _candor.Http.PostAsJsonAsync(
            "/api/v1/incidents", new { name = "Tickets answered slowly", components = Support })).StatusCode);

        await _hooks.WaitForAsync("/ops", "opened");
        var dead = (await _candor.WaitForJsonAsync("/api/v1/outbox?state=dead", list => list.GetArrayLength() == 1))[0];
        Assert.Equal(1, dead.GetProperty("attempts").GetInt32());
        var error = dead.GetProperty("last_error").GetString()!;
        Assert.Contains("refused: 127.0.0.1 is not a public address", error, StringComparison.Ordinal);
        Assert.Contains(WebhookAddresses.ConfigKey, error, StringComparison.Ordinal);
        Assert.DoesNotContain("/subscriber", error, StringComparison.Ordinal);
        Assert.Empty(_hooks.To("/subscriber"));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.Contains(WebhookAddresses.ConfigKey, body, StringComparison.Ordinal);
    }
}
