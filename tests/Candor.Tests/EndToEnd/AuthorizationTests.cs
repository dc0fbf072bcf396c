using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Candor.Security;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Candor.Tests.EndToEnd;

/// <summary>
/// Every admin API route against three people: the owner (an admin), a teammate whose role is one step too
/// low, and an outsider with no token or a revoked one. A route missing from the table fails the test, so no
/// route can be added without deciding who may call it.
/// </summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private static readonly Dictionary<string, ApiRole> Required = new()
    {
        ["GET /api/v1/monitors/"] = ApiRole.Viewer,
        ["GET /api/v1/monitors/{id}"] = ApiRole.Viewer,
        ["GET /api/v1/monitors/{id}/results"] = ApiRole.Viewer,
        ["GET /api/v1/monitors/{id}/results/{resultId}"] = ApiRole.Viewer,
        ["GET /api/v1/components/"] = ApiRole.Viewer,
        ["GET /api/v1/components/{id}"] = ApiRole.Viewer,
        ["GET /api/v1/incidents/"] = ApiRole.Viewer,
        ["GET /api/v1/incidents/{id}"] = ApiRole.Viewer,
        ["POST /api/v1/incidents/"] = ApiRole.Responder,
        ["POST /api/v1/incidents/{id}/updates"] = ApiRole.Responder,
        ["POST /api/v1/incidents/{id}/roles"] = ApiRole.Responder,
        ["POST /api/v1/incidents/{id}/impact"] = ApiRole.Responder,
        ["POST /api/v1/incidents/{id}/resolve"] = ApiRole.Responder,
        ["GET /api/v1/audit/"] = ApiRole.Admin,
        ["GET /api/v1/maintenance/"] = ApiRole.Viewer,
        ["GET /api/v1/maintenance/{id}"] = ApiRole.Viewer,
        ["POST /api/v1/maintenance/"] = ApiRole.Responder,
        ["POST /api/v1/maintenance/{id}/start"] = ApiRole.Responder,
        ["POST /api/v1/maintenance/{id}/complete"] = ApiRole.Responder,
        ["POST /api/v1/maintenance/{id}/cancel"] = ApiRole.Responder,
        ["POST /api/v1/maintenance/{id}/extend"] = ApiRole.Responder,
        ["GET /api/v1/subscribers/"] = ApiRole.Admin,
        ["POST /api/v1/subscribers/"] = ApiRole.Admin,
        ["DELETE /api/v1/subscribers/{id}"] = ApiRole.Admin,
        ["GET /api/v1/subscribers/{id}/deliveries"] = ApiRole.Admin,
        ["GET /api/v1/outbox/"] = ApiRole.Admin,
        ["POST /api/v1/outbox/{id}/retry"] = ApiRole.Admin,
    };

    private CandorApp _candor = null!;

    public async Task InitializeAsync() => _candor = await CandorApp.StartAsync("""
        components: [ { id: web, name: Website } ]
        monitors:
          - { id: home, component: web, type: tcp, target: "127.0.0.1:9", interval: 1m }

        """);

    public async Task DisposeAsync() => await _candor.DisposeAsync();

    public static TheoryData<string> Routes() => [.. Required.Keys];

    [Fact]
    public void Every_admin_route_is_in_the_table()
    {
        var routes = _candor.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .Order()
            .ToList();

        Assert.Equal(Required.Keys.Order().ToList(), routes);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task The_owner_may_call_it(string route)
    {
        var response = await SendAsync(_candor.Http, route);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_teammate_with_a_lesser_role_is_forbidden_and_one_with_the_role_is_not(string route)
    {
        var required = Required[route];
        using var enough = await _candor.ClientAsync(required, "teammate-" + required);
        var allowed = await SendAsync(enough, route);
        Assert.NotEqual(HttpStatusCode.Unauthorized, allowed.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, allowed.StatusCode);

        if (required > ApiRole.Viewer)
        {
            using var lesser = await _candor.ClientAsync(required - 1, "teammate-lesser");
            var refused = await SendAsync(lesser, route);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_outsider_is_unauthorized(string route)
    {
        var response = await SendAsync(_candor.Anonymous, route);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_revoked_token_is_refused()
    {
        using var client = await _candor.ClientAsync(ApiRole.Admin, "leaver");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/components")).StatusCode);

        var store = _candor.Services.GetRequiredService<ICandorStore>();
        Assert.True(await store.RevokeApiTokenAsync("leaver", DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/components")).StatusCode);
    }

    [Fact]
    public async Task Changes_are_recorded_in_the_audit_log_with_who_did_them()
    {
        using var responder = await _candor.ClientAsync(ApiRole.Responder, "carol");
        var response = await responder.PostAsync(
            "/api/v1/incidents",
            new StringContent("""{"name":"Search is slow","components":["web"],"body":"Looking into it."}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var audit = await _candor.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var entry = Assert.Single(audit.EnumerateArray());
        Assert.Equal("carol", entry.GetProperty("actor").GetString());
        Assert.Equal("POST", entry.GetProperty("method").GetString());
        Assert.Equal("/api/v1/incidents/", entry.GetProperty("route").GetString());
        Assert.Equal(201, entry.GetProperty("status_code").GetInt32());
    }

    private static string Normalise(string pattern) => pattern.EndsWith('/') || pattern.Contains('{', StringComparison.Ordinal) ? pattern : pattern + "/";

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string route)
    {
        var (method, pattern) = (route.Split(' ')[0], route.Split(' ')[1]);
        var request = new HttpRequestMessage(new HttpMethod(method), pattern.Replace("{id}", "nope", StringComparison.Ordinal));
        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}
