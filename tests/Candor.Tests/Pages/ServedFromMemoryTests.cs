using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Pages;

/// <summary>How the pages are served: security headers, ETag and 304, short caching, gzip, and 404 for what does not exist.</summary>
public sealed class ServedFromMemoryTests : IAsyncLifetime
{
    private CandorApp _candor = null!;

    public async Task InitializeAsync() =>
        _candor = await CandorApp.StartAsync("""
            components:
              - { id: api, name: API }

            """);

    public Task DisposeAsync() => _candor.DisposeAsync().AsTask();

    [Theory]
    [InlineData("/")]
    [InlineData("/history")]
    [InlineData("/subscribe")]
    [InlineData("/subscribe/webhook")]
    [InlineData("/components/api")]
    public async Task A_page_carries_a_policy_that_runs_only_candors_own_script_and_does_not_name_the_server(string path)
    {
        using var response = await _candor.Anonymous.GetAsync(path);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("/api/v2/summary.json")]
    [InlineData("/badge/api.svg")]
    [InlineData("/static/candor.css")]
    [InlineData("/static/candor.js")]
    [InlineData("/feed.atom")]
    [InlineData("/no-such-page")]
    [InlineData("/api/v1/incidents")]
    public async Task What_is_not_a_page_may_load_nothing_and_not_be_framed_and_does_not_name_the_server(string path)
    {
        using var response = await _candor.Anonymous.GetAsync(path);

        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("/static/candor.css")]
    [InlineData("/static/candor.js")]
    public async Task A_page_links_its_assets_by_a_version_of_their_bytes_which_the_server_answers(string asset)
    {
        var page = await _candor.Anonymous.GetStringAsync("/");
        var link = Regex.Match(page, $"(?:href|src)=\"({Regex.Escape(asset)}\\?v=([0-9a-f]+))\"").Groups;

        Assert.True(link[1].Success, $"the page links {asset} with a version");
        var served = await _candor.Anonymous.GetByteArrayAsync(link[1].Value);
        Assert.Equal(served, await _candor.Anonymous.GetByteArrayAsync(asset));
        Assert.StartsWith(link[2].Value, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(served)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/badge/api.svg", "image/svg+xml")]
    [InlineData("/badge/api/uptime.svg?days=7", "image/svg+xml")]
    [InlineData("/static/candor.js", "text/javascript")]
    public async Task A_page_is_revalidated_with_its_etag_for_a_304_without_a_body(string path, string type)
    {
        using var first = await _candor.Anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(type, first.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(first.Headers.CacheControl?.MaxAge);
        Assert.True(first.Headers.CacheControl!.Public);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await _candor.Anonymous.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_page_is_gzipped_for_a_client_that_asks()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await _candor.Anonymous.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
    }

    [Theory]
    [InlineData("/incidents/nope")]
    [InlineData("/badge/nope.svg")]
    [InlineData("/badge/api/uptime.svg?days=0")]
    [InlineData("/badge/api/uptime.svg?days=91")]
    [InlineData("/badge/api/uptime.svg?days=x")]
    public async Task What_does_not_exist_is_not_found(string path)
    {
        using var response = await _candor.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
