using System.Net.Http.Headers;
using System.Text;
using Candor.StatusPage.Site;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Candor.Tests.Pages;

/// <summary>
/// After each rebuild of the site, the pages visitors were reading are already rendered when the new content is
/// swapped in, so that no request waits for another's render; the pages nobody reads are left for a request.
/// </summary>
public sealed class RenderedAheadTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private CandorApp _candor = null!;

    private LiveStatusSite Site => _candor.Services.GetRequiredService<LiveStatusSite>();

    public async Task InitializeAsync() =>
        _candor = await CandorApp.StartAsync(
            """
            components:
              - { id: api, name: API }
              - { id: web, name: Website }
            monitors:
              - { id: api-beat, component: api, type: heartbeat, every: 10m }

            """,
            clock: _clock);

    public Task DisposeAsync() => _candor.DisposeAsync().AsTask();

    [Fact]
    public async Task The_pages_read_before_a_rebuild_are_rendered_by_it_gzipped_where_they_were()
    {
        Assert.Empty(Site.Current.Rendered);
        await GetAsync("/", gzip: true);
        await GetAsync("/badge/api.svg", gzip: false);

        await RebuildAsync();

        Assert.Equal([("/", true), ("/badge/api.svg", false)], Site.Current.Rendered.Order());
    }

    [Fact]
    public async Task A_page_rendered_ahead_but_not_read_is_not_rendered_ahead_again()
    {
        await GetAsync("/history", gzip: true);
        await RebuildAsync();
        Assert.Equal([("/history", true)], Site.Current.Rendered);

        await RebuildAsync();

        Assert.Empty(Site.Current.Rendered);
    }

    [Fact]
    public async Task A_page_read_in_each_content_goes_on_being_rendered_ahead()
    {
        for (var i = 0; i < 3; i++)
        {
            await GetAsync("/badge/web/uptime.svg?days=7", gzip: false);
            await RebuildAsync();
        }

        Assert.Equal([("/badge/web/uptime.svg?days=7", false)], Site.Current.Rendered);
    }

    /// <remarks>
    /// A component's page reads its charts from the store as it is rendered: the build starts it without waiting for
    /// the store, and it is rendered with no request for it.
    /// </remarks>
    [Fact]
    public async Task A_components_page_read_before_a_rebuild_is_rendered_after_it_with_its_charts()
    {
        await GetAsync("/components/api", gzip: false);

        await RebuildAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Site.Current.Rendered.Contains(("/components/api", false)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the page was not rendered ahead");
            await Task.Delay(10);
        }

        var page = await Site.Current.Component("api")!;
        Assert.Contains("api-beat: response time", Encoding.UTF8.GetString(page.Rendered.Body), StringComparison.Ordinal);
    }

    /// <remarks>
    /// The worst hour may be one where the store is slow or gone: the status and the uptime of a component, which the
    /// build already holds, are shown without its charts rather than not at all.
    /// </remarks>
    [Fact]
    public async Task A_components_page_whose_charts_cannot_be_read_is_shown_without_them()
    {
        using var dir = new TempDirectory();
        await using var missing = StoreFactory.Create($"sqlite:{dir.Path}/no/such/folder/candor.db");
        using var charts = new ChartReader(missing);
        var content = new SiteContent(Site.Current.Data with { Charts = charts }, NullLogger.Instance);

        var html = Encoding.UTF8.GetString((await content.Component("api")!).Rendered.Body);

        Assert.Contains("The response times could not be read just now", html, StringComparison.Ordinal);
        Assert.Contains("""<h1>API</h1>""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("chart-api-beat", html, StringComparison.Ordinal);
    }

    private async Task GetAsync(string path, bool gzip)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (gzip)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        }

        using var response = await _candor.Anonymous.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Moves the clock a second at a time, past the spacing after the last build and then to the next tick, until
    /// the site has been rebuilt once.
    /// </summary>
    private async Task RebuildAsync()
    {
        var before = Site.Current;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (ReferenceEquals(Site.Current, before))
        {
            Assert.True(DateTime.UtcNow < deadline, "the site was not rebuilt");
            _clock.Advance(LiveStatusSite.Spacing);
            await Task.Delay(10);
        }
    }
}
