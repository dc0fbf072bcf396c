using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Candor.StatusPage.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Candor.Tests.StatusPage;

/// <summary>The API as clients meet it: a real Kestrel on 127.0.0.1 serving a fixed snapshot.</summary>
public class StatuspageHttpTests
{
    public static TheoryData<StatuspageDocument> Documents => ExampleShapeTests.Documents;

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Get_answers_the_rendered_document_with_the_headers_clients_need(StatuspageDocument document)
    {
        var snapshot = AcmeCloud.Snapshot();
        await using var server = await Server.StartAsync(snapshot);

        using var response = await server.Http.GetAsync(document.Path());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new StatuspageWriter(snapshot).Render(document), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("ETag", Header(response, "Access-Control-Expose-Headers"));
        Assert.Equal("max-age=10, public, s-maxage=10, stale-while-revalidate=20, stale-if-error=3600", Header(response, "Cache-Control"));
        Assert.Equal("Accept, Accept-Encoding", Header(response, "Vary"));
        Assert.True(response.Headers.ETag?.IsWeak);
        Assert.Null(response.Content.Headers.ContentEncoding.FirstOrDefault());
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Head_answers_the_same_headers_without_a_body(StatuspageDocument document)
    {
        await using var server = await Server.StartAsync(AcmeCloud.Snapshot());
        var path = document.Path();

        using var get = await server.Http.GetAsync(path);
        using var head = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(Headers(get), Headers(head));
    }

    [Fact]
    public async Task A_matching_If_None_Match_answers_304_without_a_body()
    {
        await using var server = await Server.StartAsync(AcmeCloud.Snapshot());
        var path = StatuspageDocument.Summary.Path();
        using var first = await server.Http.GetAsync(path);
        var etag = first.Headers.ETag!;

        foreach (var ifNoneMatch in new[] { etag.ToString(), $"W/\"other\", {etag}", etag.Tag, "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            using var response = await server.Http.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, response.Headers.ETag);
            Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.TryAddWithoutValidation("If-None-Match", "W/\"0123456789abcdef\"");
        using var changed = await server.Http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task A_cache_buster_in_the_query_is_ignored()
    {
        await using var server = await Server.StartAsync(AcmeCloud.Snapshot());
        var path = StatuspageDocument.Status.Path();

        using var plain = await server.Http.GetAsync(path);
        using var busted = await server.Http.GetAsync($"{path}?_=1781289600000&callback=x");

        Assert.Equal(HttpStatusCode.OK, busted.StatusCode);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), await busted.Content.ReadAsByteArrayAsync());
        Assert.Equal(plain.Headers.ETag, busted.Headers.ETag);
    }

    [Theory]
    [InlineData("GET", "/api/v2/nothing.json")]
    [InlineData("GET", "/api/v2/incidents/resolved.json")]
    [InlineData("GET", "/api/v2/components")]
    [InlineData("HEAD", "/api/v2/subscribers.json")]
    [InlineData("POST", "/api/v2/summary.json")]
    [InlineData("GET", "/api/v2/")]
    public async Task Any_other_path_under_api_v2_is_a_bare_404(string method, string path)
    {
        await using var server = await Server.StartAsync(AcmeCloud.Snapshot());

        using var response = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(response.Content.Headers.ContentType);
    }

    [Fact]
    public async Task The_same_snapshot_is_served_as_the_same_bytes_and_a_new_one_as_new_bytes()
    {
        await using var server = await Server.StartAsync(AcmeCloud.Snapshot());
        var path = StatuspageDocument.Summary.Path();

        using var first = await server.Http.GetAsync(path);
        using var second = await server.Http.GetAsync(path);
        server.Source.Current = AcmeCloud.Snapshot() with { Maintenances = [] };
        using var third = await server.Http.GetAsync(path);

        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.NotEqual(first.Headers.ETag, third.Headers.ETag);
        Assert.DoesNotContain("s9d2f6h1k3pw", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_is_rendered_once_per_snapshot()
    {
        var responses = new StatuspageResponses();
        var snapshot = AcmeCloud.Snapshot();

        var first = responses.Get(snapshot, StatuspageDocument.Summary);
        var again = responses.Get(snapshot, StatuspageDocument.Summary);
        var equalButNew = responses.Get(snapshot with { }, StatuspageDocument.Summary);

        Assert.Same(first, again);
        Assert.Same(first.Body, again.Body);
        Assert.NotSame(first, equalButNew);
        Assert.Equal(first.Body, equalButNew.Body);
        Assert.Equal(first.ETag, equalButNew.ETag);
    }

    [Fact]
    public async Task A_browser_preflight_is_answered_with_the_cors_headers()
    {
        await using var server = await Server.StartAsync(AcmeCloud.Snapshot());
        using var request = new HttpRequestMessage(HttpMethod.Options, StatuspageDocument.Summary.Path());
        request.Headers.Add("Origin", "https://widgets.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "if-none-match");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("GET", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Equal("if-none-match", Header(response, "Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task A_client_that_accepts_gzip_gets_the_same_document_gzipped()
    {
        var snapshot = AcmeCloud.Snapshot();
        await using var server = await Server.StartAsync(snapshot);
        var path = StatuspageDocument.Summary.Path();
        using var plain = await server.Http.GetAsync(path);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await server.Http.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var body = new MemoryStream();
        await gzip.CopyToAsync(body);
        Assert.Equal(new StatuspageWriter(snapshot).Render(StatuspageDocument.Summary), body.ToArray());
        Assert.Equal(plain.Headers.ETag, response.Headers.ETag);
    }

    [Fact]
    public async Task Gzip_refused_with_a_zero_quality_is_not_sent()
    {
        await using var server = await Server.StartAsync(AcmeCloud.Snapshot());
        using var request = new HttpRequestMessage(HttpMethod.Get, StatuspageDocument.Status.Path());
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "*, gzip;q=0");

        using var response = await server.Http.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    /// <summary>The header as it came on the wire; HttpClient would reorder a parsed Cache-Control.</summary>
    private static string Header(HttpResponseMessage response, string name) =>
        (response.Headers.NonValidated.TryGetValues(name, out var values) ? values : response.Content.Headers.NonValidated[name]).ToString();

    /// <summary>The headers that a HEAD must repeat from the GET; Date may tick between the two.</summary>
    private static List<string> Headers(HttpResponseMessage response) =>
        [.. response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal)];

    private sealed class SwitchableSource(PublicSnapshot snapshot) : IPublicSnapshotSource
    {
        public PublicSnapshot Current { get; set; } = snapshot;
    }

    /// <summary>
    /// A minimal host mapping only the API, with the status-code pages that Candor's host uses, so that the bare
    /// 404 is proven to survive them.
    /// </summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Server(WebApplication app, SwitchableSource source, HttpClient http)
        {
            _app = app;
            Source = source;
            Http = http;
        }

        public SwitchableSource Source { get; }

        public HttpClient Http { get; }

        public static async Task<Server> StartAsync(PublicSnapshot snapshot)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var source = new SwitchableSource(snapshot);
            builder.Services.AddSingleton<IPublicSnapshotSource>(source);
            var app = builder.Build();
            app.UseStatusCodePages();
            app.MapStatuspageApi();
            await app.StartAsync();

            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new Server(app, source, new HttpClient { BaseAddress = new Uri(address) });
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _app.DisposeAsync();
        }
    }
}
