using System.Net;
using System.Net.Http.Json;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Notifications;

public sealed class SubscribeRateLimitTests : IAsyncLifetime
{
    private CandorApp _candor = null!;

    public async Task InitializeAsync() => _candor = await CandorApp.StartAsync("""
        components: [ { id: web, name: Website } ]
        notifications:
          smtp: { host: 127.0.0.1, port: 9, from: status@acme.example, starttls: false }
          subscribe_limit: 3

        """);

    public async Task DisposeAsync() => await _candor.DisposeAsync();

    [Fact]
    public async Task The_subscribe_form_refuses_a_client_that_asks_too_often()
    {
        for (var i = 0; i < 3; i++)
        {
            var accepted = await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { email = $"victim-{i}@example.com" });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        var refused = await _candor.Anonymous.PostAsJsonAsync("/subscribe", new { email = "victim-3@example.com" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _candor.Anonymous.GetAsync("/subscribe")).StatusCode);
    }
}
