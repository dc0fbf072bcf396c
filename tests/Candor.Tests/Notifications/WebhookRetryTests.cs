using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

/// <summary>Deliveries that fail are tried again after a growing wait, and dead ones wait for an admin.</summary>
public sealed class WebhookRetryTests : IAsyncLifetime
{
    private static readonly string[] Support = ["support"];

    private WebhookReceiver _hooks = null!;
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _hooks = await WebhookReceiver.StartAsync();
        _candor = await CandorApp.StartAsync("""
            page: { name: Acme Status, url: "https://status.acme.example" }
            components: [ { id: support, name: Support desk } ]
            notifications: { backoff: 300ms, max_attempts: 5, timeout: 5s, private_webhooks: true }

            """);
    }

    public async Task DisposeAsync()
    {
        await _candor.DisposeAsync();
        await _hooks.DisposeAsync();
    }

    [Fact]
    public async Task A_receiver_that_fails_three_times_gets_the_message_once_after_growing_waits()
    {
        _hooks.Answer = (_, n) => n <= 3 ? 503 : 200;
        var subscriber = await SubscribeAsync("/flaky");

        await OpenIncidentAsync();

        await WaitUntilAsync(() => Task.FromResult(_hooks.To("/flaky").Count >= 4));
        await Task.Delay(1500);
        var requests = _hooks.To("/flaky");
        Assert.Equal([503, 503, 503, 200], requests.Select(r => r.AnsweredWith));
        Assert.Single(requests.Select(r => r.Headers["X-Candor-Delivery"]).Distinct());

        // 300 ms, then 600, then 1200: each wait at least the backoff, and each longer than the one before.
        var waits = requests.Zip(requests.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.True(waits[0] >= TimeSpan.FromMilliseconds(280), $"waits: {string.Join(", ", waits)}");
        Assert.True(waits[1] >= TimeSpan.FromMilliseconds(580) && waits[2] >= TimeSpan.FromMilliseconds(1180), $"waits: {string.Join(", ", waits)}");

        var delivery = Assert.Single((await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/subscribers/{subscriber}/deliveries")).EnumerateArray());
        Assert.Equal("sent", delivery.GetProperty("state").GetString());
        Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_dead_visible_to_admins_and_retried_from_there()
    {
        _hooks.Answer = (_, _) => 500;
        await SubscribeAsync("/down");
        await OpenIncidentAsync();

        var dead = await OnlyEntryAsync("dead");
        Assert.Equal(5, dead.GetProperty("attempts").GetInt32());
        Assert.Contains("500", dead.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, _hooks.To("/down").Count);

        _hooks.Answer = (_, _) => 200;
        var retry = await _candor.Http.PostAsync($"/api/v1/outbox/{dead.GetProperty("id").GetInt64()}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

        await WaitUntilAsync(() => Task.FromResult(_hooks.To("/down").Any(r => r.AnsweredWith == 200)));
        var sent = await OnlyEntryAsync("sent");
        Assert.Equal(dead.GetProperty("id").GetInt64(), sent.GetProperty("id").GetInt64());
        Assert.Equal(0, (await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/outbox?state=dead")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await _candor.Http.PostAsync($"/api/v1/outbox/{sent.GetProperty("id").GetInt64()}/retry", null)).StatusCode);
    }

    [Fact]
    public async Task A_receiver_that_redirects_is_not_followed_and_the_message_waits_dead_saying_where_it_points()
    {
        _hooks.Answer = (path, _) => path == "/old" ? 301 : 200;
        await SubscribeAsync("/old");
        await OpenIncidentAsync();

        var dead = await OnlyEntryAsync("dead");
        Assert.Equal(1, dead.GetProperty("attempts").GetInt32());
        Assert.Contains(
            $"answered 301 Moved Permanently, a redirect to {_hooks.Url}/…, which webhooks do not follow",
            dead.GetProperty("last_error").GetString(),
            StringComparison.Ordinal);
        Assert.Single(_hooks.To("/old"));
        Assert.Empty(_hooks.To("/old/moved"));
    }

    private async Task<string> SubscribeAsync(string path)
    {
        var response = await _candor.Http.PostAsJsonAsync("/api/v1/subscribers", new { webhook_url = _hooks.Url + path });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task OpenIncidentAsync() =>
        Assert.Equal(HttpStatusCode.Created, (await _candor.Http.PostAsJsonAsync(
            "/api/v1/incidents", new { name = "Tickets answered slowly", components = Support, body = "Half the team is out." })).StatusCode);

    /// <summary>Waits until the outbox holds exactly one message in the state, and returns it.</summary>
    private async Task<JsonElement> OnlyEntryAsync(string state)
    {
        JsonElement list = default;
        await WaitUntilAsync(async () =>
        {
            list = await _candor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/outbox?state={state}");
            return list.GetArrayLength() == 1;
        });
        return list[0];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
