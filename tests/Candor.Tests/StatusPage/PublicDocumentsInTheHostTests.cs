using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Candor.Tests.Fixtures;

namespace Candor.Tests.StatusPage;

/// <summary>
/// The public documents as the whole server answers them, ahead of routing and authentication: the same
/// conditional GET, HEAD, CORS and compression as the endpoints behind them, and nothing else let through.
/// </summary>
public sealed class PublicDocumentsInTheHostTests : IAsyncLifetime
{
    private const string Summary = "/api/v2/summary.json";

    private CandorApp _candor = null!;

    public async Task InitializeAsync() =>
        _candor = await CandorApp.StartAsync("""
            components:
              - { id: api, name: API }

            """);

    public Task DisposeAsync() => _candor.DisposeAsync().AsTask();

    [Theory]
    [InlineData(Summary)]
    [InlineData("/")]
    [InlineData("/static/candor.css")]
    public async Task Head_answers_the_headers_of_the_get_without_a_body(string path)
    {
        using var get = await _candor.Anonymous.GetAsync(path);
        using var head = await _candor.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);
        Assert.Equal(Headers(get), Headers(head));
    }

    [Fact]
    public async Task A_matching_If_None_Match_answers_304_with_the_cors_and_security_headers()
    {
        using var first = await _candor.Anonymous.GetAsync(Summary);
        using var request = new HttpRequestMessage(HttpMethod.Get, Summary);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var again = await _candor.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal("*", again.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("nosniff", again.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task An_If_None_Match_of_another_version_answers_the_document()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Summary);
        request.Headers.TryAddWithoutValidation("If-None-Match", "W/\"0123456789abcdef\"");

        using var response = await _candor.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_browser_preflight_is_answered_with_the_cors_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, Summary);
        request.Headers.Add("Origin", "https://widgets.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "if-none-match");

        using var response = await _candor.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("if-none-match", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
    }

    [Theory]
    [InlineData(Summary)]
    [InlineData("/")]
    public async Task A_client_that_accepts_gzip_gets_the_same_bytes_gzipped(string path)
    {
        var plain = await _candor.Anonymous.GetByteArrayAsync(path);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await _candor.Anonymous.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var body = new MemoryStream();
        await gzip.CopyToAsync(body);
        Assert.Equal(plain, body.ToArray());
    }

    [Theory]
    [InlineData("/api/v2/summary.json?_=1781289600000")]
    [InlineData("/API/V2/Summary.json")]
    public async Task Another_spelling_of_the_path_is_answered_with_the_same_document(string path)
    {
        var exact = await _candor.Anonymous.GetByteArrayAsync(Summary);

        using var response = await _candor.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(exact, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Another_method_on_a_public_document_is_a_bare_404()
    {
        using var response = await _candor.Anonymous.PostAsync(Summary, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_admin_api_still_asks_for_a_token()
    {
        using var anonymous = await _candor.Anonymous.GetAsync("/api/v1/monitors");
        using var admin = await _candor.Http.GetAsync("/api/v1/monitors");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    /// <summary>The headers that a HEAD must repeat from the GET; Date may tick between the two.</summary>
    private static List<string> Headers(HttpResponseMessage response) =>
        [.. response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal)];
}
