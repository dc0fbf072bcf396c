using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Candor.Notifications;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Candor.Tests.Notifications;

/// <summary>
/// E-mail and webhooks go out through deliveries of their own. Webhook subscribers' servers are often on the very
/// infrastructure that is failing and may take a post without ever answering; such hosts hold every webhook
/// delivery until the timeout, and the e-mail behind them must not wait for it.
/// </summary>
public sealed class DeliveryLanesTests : IAsyncLifetime
{
    private const int WebhookParallel = 2;
    private static readonly string[] Support = ["support"];

    private MailSink _mail = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _mail = await MailSink.StartAsync();
        _candor = await CandorApp.StartAsync($$"""
            page: { name: Acme Status, url: "https://status.acme.example" }
            components: [ { id: support, name: Support desk } ]
            notifications:
              smtp: { host: 127.0.0.1, port: {{_mail.Port}}, from: status@acme.example, starttls: false }
              parallel: 1
              webhook_parallel: {{WebhookParallel}}
              private_webhooks: true
              timeout: 60s

            """);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        await _mail.DisposeAsync();
    }

    [Fact]
    public async Task An_e_mail_goes_out_while_hanging_webhook_hosts_hold_every_webhook_delivery()
    {
        var store = _candor.Services.GetRequiredService<ICandorStore>();
        var now = DateTimeOffset.UtcNow;
        // A server that takes connections and never answers: the kernel accepts them into its backlog.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(backlog: 64);
        var silentUrl = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/hook";

        // The webhooks are subscribed first, so they are claimed, and begun, before the e-mail.
        for (var i = 0; i < WebhookParallel * 2; i++)
        {
            await store.AddSubscriberAsync(ConfirmedSubscriber.Webhook($"hook-{i}", $"{silentUrl}/{i}", Support, now), CancellationToken.None);
        }

        await store.AddSubscriberAsync(
            ConfirmedSubscriber.Email("mail-0", "customer@example.com", Support, now.AddSeconds(1)), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, (await _candor.Http.PostAsJsonAsync(
            "/api/v1/incidents", new { name = "Tickets answered slowly", components = Support })).StatusCode);

        // Well within the 60 s that the hanging hosts hold the webhook deliveries.
        await _mail.WaitForAsync("customer@example.com", m => m.Subject.Contains("Tickets answered slowly", StringComparison.Ordinal), seconds: 20);

        // The e-mail is recorded as sent while every webhook is still being sent.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await CountAsync("sent") < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the e-mail was not recorded as sent");
            await Task.Delay(50);
        }

        Assert.Equal(WebhookParallel * 2, await CountAsync("sending"));
        Assert.Equal(1, await CountAsync("sent"));
    }

    private async Task<int> CountAsync(string state) =>
        (await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/outbox?state={state}")).GetArrayLength();
}
