using System.Collections.Concurrent;
using System.Text;
using Candor.StatusPage.Api;

namespace Candor.StatusPage.Site;

/// <summary>One rendered answer: its bytes (gzipped on first demand), its ETag and its content type.</summary>
internal sealed record SiteResponse(StatuspageResponse Rendered, string ContentType)
{
    public static SiteResponse Of(string text, string contentType) => new(new StatuspageResponse(Encoding.UTF8.GetBytes(text)), contentType);
}

/// <summary>
/// The pages of one <see cref="SiteData"/>, served from memory until the next build replaces the whole. A page is
/// rendered on its first request, unless requests read it in the content this one replaces: then the build has
/// already rendered it (<see cref="RenderAhead"/>). Only names that exist are cached, so the cache cannot be grown
/// by asking for made-up ones. A component's page reads its charts from the store as it is rendered: the requests
/// that arrive meanwhile wait for the same reading, holding no thread.
/// </summary>
internal sealed class SiteContent(SiteData data, ILogger logger)
{
    public const string Html = "text/html; charset=utf-8";
    public const string Svg = "image/svg+xml; charset=utf-8";

    private readonly ConcurrentDictionary<string, Page> _pages = new(StringComparer.Ordinal);

    // The pages every visitor asks for are fields, so that serving one allocates nothing.
    private readonly Page _home = Page.Of("/", next => next._home, () => SiteResponse.Of(SitePages.Home(data, SiteLinks.Server), Html));
    private readonly Page _history = Page.Of("/history", next => next._history, () => SiteResponse.Of(SitePages.History(data, SiteLinks.Server), Html));
    private readonly Page _subscribe = Page.Of("/subscribe", next => next._subscribe, () => SiteResponse.Of(SitePages.Subscribe(data.Config, SiteLinks.Server, data.At), Html));

    public SiteData Data => data;

    public Task<SiteResponse> Home => _home.Read();

    public Task<SiteResponse> History => _history.Read();

    public Task<SiteResponse> Subscribe => _subscribe.Read();

    public Task<SiteResponse> SubscribeWebhook => SubscribeWebhookPage().Read();

    /// <summary>The pages rendered so far, by path, and whether each has its gzipped bytes too.</summary>
    internal IEnumerable<(string Path, bool Gzipped)> Rendered =>
        Pages().Where(p => p.IsRendered).Select(p => (p.Path, p.IsGzipped));

    public Task<SiteResponse>? Incident(string id) => IncidentPage(id)?.Read();

    public Task<SiteResponse>? Component(string id) => ComponentPage(id)?.Read();

    public Task<SiteResponse>? StatusBadge(string componentId) => StatusBadgePage(componentId)?.Read();

    /// <param name="days">From 1 to <see cref="UptimeBar.Days"/>.</param>
    public Task<SiteResponse>? UptimeBadge(string componentId, int days) => UptimeBadgePage(componentId, days)?.Read();

    /// <summary>
    /// Renders, before this content replaces <paramref name="previous"/>, each page that requests read in that one,
    /// and gzips it where that one was gzipped: otherwise the first request after the swap renders it while every
    /// other request for it waits. A page that reads the store is started, not waited for: the store does not hold up
    /// the swap, and the page's requests after it wait for the same reading. A page rendered ahead but then not read is
    /// not rendered ahead again, so a page nobody opens costs nothing past one build.
    /// </summary>
    public void RenderAhead(SiteContent previous, CancellationToken cancellationToken)
    {
        foreach (var page in previous.Pages().Where(p => p.WasRead))
        {
            cancellationToken.ThrowIfCancellationRequested();
            page.RenderIn(this);
        }
    }

    private Page[] Pages() => [_home, _history, _subscribe, .. _pages.Values];

    private Page SubscribeWebhookPage() =>
        Get("/subscribe/webhook", next => next.SubscribeWebhookPage(), () => SitePages.SubscribeWebhook(data.Config, SiteLinks.Server, data.At), Html);

    private Page? IncidentPage(string id) =>
        data.Incident(id) is { } incident
            ? Get("/incidents/" + id, next => next.IncidentPage(id), () => SitePages.Incident(data, incident, SiteLinks.Server), Html)
            : null;

    private Page? ComponentPage(string id) =>
        data.Public.Components.FirstOrDefault(c => c.Config.Id == id) is { } component
            ? _pages.GetOrAdd("/components/" + id, path => new Page(path, next => next.ComponentPage(id), async () =>
                SiteResponse.Of(SitePages.Component(data, component, await ChartsAsync(component), SiteLinks.Server), Html)))
            : null;

    private Page? StatusBadgePage(string componentId) =>
        data.Public.Components.FirstOrDefault(c => c.Config.Id == componentId) is { } component
            ? Get($"/badge/{componentId}.svg", next => next.StatusBadgePage(componentId), () => Badge.Status(component.Config.Name, component.Status), Svg)
            : null;

    private Page? UptimeBadgePage(string componentId, int days) =>
        data.Uptime.TryGetValue(componentId, out var bar) && days is >= 1 and <= UptimeBar.Days
            ? Get(
                $"/badge/{componentId}/uptime.svg?days={days}",
                next => next.UptimeBadgePage(componentId, days),
                () => Badge.Uptime(days, UptimeBar.Overall(bar, days)),
                Svg)
            : null;

    private Page Get(string path, Func<SiteContent, Page?> sameIn, Func<string> render, string contentType) =>
        _pages.GetOrAdd(path, _ => Page.Of(path, sameIn, () => SiteResponse.Of(render(), contentType)));

    /// <summary>
    /// The charts of a component's page. Shared by every request that waits for the page, so no request's own
    /// cancellation stops it; a store that cannot answer in time leaves the page without them rather than without
    /// the status and the uptime that the rest of it shows.
    /// </summary>
    private async Task<MonitorCharts> ChartsAsync(PublicComponent component)
    {
        using var timeout = new CancellationTokenSource(ChartReader.Within);
        try
        {
            return await data.ChartsAsync(component, timeout.Token);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Reading the response times of component '{Component}' failed; its page is shown without them", component.Config.Id);
            return MonitorCharts.Unavailable;
        }
    }

    /// <summary>One page of one content, and whether a request has read it: what the next build renders ahead.</summary>
    /// <param name="sameIn">The same page in another content, if it still exists there.</param>
    private sealed class Page(string path, Func<SiteContent, Page?> sameIn, Func<Task<SiteResponse>> render)
    {
        private readonly Lock _starting = new();
        private Task<SiteResponse>? _response;
        private volatile bool _read;

        public string Path => path;

        public bool WasRead => _read;

        public bool IsRendered => _response is { IsCompletedSuccessfully: true };

        public bool IsGzipped => _response is { IsCompletedSuccessfully: true } response && response.Result.Rendered.IsGzipped;

        /// <summary>A page rendered from memory alone.</summary>
        public static Page Of(string path, Func<SiteContent, Page?> sameIn, Func<SiteResponse> render) =>
            new(path, sameIn, () => Task.FromResult(render()));

        public Task<SiteResponse> Read()
        {
            // Written once rather than by every request, so that the cores serving it do not pass the line around.
            if (!_read)
            {
                _read = true;
            }

            return Response();
        }

        /// <summary>Renders the same page in the next content, and gzips it if this one was gzipped and it is rendered already.</summary>
        public void RenderIn(SiteContent next)
        {
            if (sameIn(next) is not { } page)
            {
                return;
            }

            var response = page.Response();
            if (IsGzipped && response.IsCompletedSuccessfully)
            {
                _ = response.Result.Rendered.Gzipped;
            }
        }

        /// <summary>Rendered once, by whichever request or build comes first; one that failed is tried again by the next.</summary>
        private Task<SiteResponse> Response()
        {
            var response = _response;
            if (response is not null && !response.IsFaulted)
            {
                return response;
            }

            lock (_starting)
            {
                if (_response is null || _response.IsFaulted)
                {
                    _response = render();
                }

                return _response;
            }
        }
    }
}
