using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Notifications;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Candor.Tests.Notifications;

/// <summary>
/// How the outcomes of deliveries are written. No delivery starts while the allowance of messages that went out
/// unrecorded is spent, so the writes must keep pace with a fan-out: each begins once half the allowance is taken,
/// not when a timer says so. With a clock that stands still, no timer ever fires, and only that keeps the fan-out going.
/// </summary>
public sealed class OutboxRecordingTests : IAsyncLifetime
{
    private const int Parallel = 1;
    private const int Subscribers = 100;
    private static readonly string[] Support = ["support"];

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private WebhookReceiver _hooks = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _hooks = await WebhookReceiver.StartAsync();
        _candor = await CandorApp.StartAsync(
            $$"""
            page: { name: Acme Status, url: "https://status.acme.example" }
            components: [ { id: support, name: Support desk } ]
            notifications: { webhook_parallel: {{Parallel}}, private_webhooks: true }

            """,
            clock: _clock);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        await _hooks.DisposeAsync();
    }

    [Fact]
    public async Task A_fan_out_many_times_the_allowance_goes_out_in_full_while_no_timer_fires()
    {
        Assert.True(Subscribers > 4 * OutboxDispatcher.UnrecordedAtMost(Parallel), "the fan-out must outgrow the allowance");
        var store = _candor.Services.GetRequiredService<ICandorStore>();
        for (var i = 0; i < Subscribers; i++)
        {
            await store.AddSubscriberAsync(
                ConfirmedSubscriber.Webhook($"hook-{i:000}", $"{_hooks.Url}/hook/{i}", Support, _clock.GetUtcNow()), CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.Created, (await _candor.Http.PostAsJsonAsync(
            "/api/v1/incidents", new { name = "Tickets answered slowly", components = Support })).StatusCode);

        await WaitUntilAsync(() => Task.FromResult(Reached() == Subscribers), () => $"{Reached()} of {Subscribers} reached");
        Assert.Equal(Subscribers, _hooks.Requests.Count);

        // The last outcomes, fewer than half the allowance, wait out the few milliseconds before they are written.
        var gathered = Subscribers - OutboxDispatcher.UnrecordedAtMost(Parallel) / 2;
        await WaitUntilAsync(async () => await SentAsync() >= gathered, () => $"fewer than {gathered} outcomes were written");
        await WaitUntilAsync(
            async () =>
            {
                _clock.Advance(TimeSpan.FromMilliseconds(10));
                return await SentAsync() == Subscribers;
            },
            () => "the last outcomes were not written");
    }

    private int Reached() => _hooks.Requests.Select(r => r.Path).Distinct().Count();

    private async Task<int> SentAsync() =>
        (await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/outbox?state=sent")).GetArrayLength();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(50);
        }
    }
}
