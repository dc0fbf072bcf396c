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
/// by asking for made-up ones.
/// </summary>
internal sealed class SiteContent(SiteData data)
{
    public const string Html = "text/html; charset=utf-8";
    public const string Svg = "image/svg+xml; charset=utf-8";

    private readonly ConcurrentDictionary<string, Page> _pages = new(StringComparer.Ordinal);

    // The pages every visitor asks for are fields, so that serving one allocates nothing.
    private readonly Page _home = new("/", next => next._home, () => SiteResponse.Of(SitePages.Home(data, SiteLinks.Server), Html));
    private readonly Page _history = new("/history", next => next._history, () => SiteResponse.Of(SitePages.History(data, SiteLinks.Server), Html));
    private readonly Page _subscribe = new("/subscribe", next => next._subscribe, () => SiteResponse.Of(SitePages.Subscribe(data.Config, SiteLinks.Server, data.At), Html));

    public SiteData Data => data;

    public SiteResponse Home => _home.Read();

    public SiteResponse History => _history.Read();

    public SiteResponse Subscribe => _subscribe.Read();

    public SiteResponse SubscribeWebhook => SubscribeWebhookPage().Read();

    /// <summary>The pages rendered so far, by path, and whether each has its gzipped bytes too.</summary>
    internal IEnumerable<(string Path, bool Gzipped)> Rendered =>
        Pages().Where(p => p.IsRendered).Select(p => (p.Path, p.IsGzipped));

    public SiteResponse? Incident(string id) => IncidentPage(id)?.Read();

    public SiteResponse? Component(string id) => ComponentPage(id)?.Read();

    public SiteResponse? StatusBadge(string componentId) => StatusBadgePage(componentId)?.Read();

    /// <param name="days">From 1 to <see cref="UptimeBar.Days"/>.</param>
    public SiteResponse? UptimeBadge(string componentId, int days) => UptimeBadgePage(componentId, days)?.Read();

    /// <summary>
    /// Renders, before this content replaces <paramref name="previous"/>, each page that requests read in that one,
    /// and gzips it where that one was gzipped: otherwise the first request after the swap renders it while every
    /// other request for it waits, each holding a thread. A page rendered ahead but then not read is not rendered
    /// ahead again, so a page nobody opens costs nothing past one build.
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
            ? Get("/components/" + id, next => next.ComponentPage(id), () => SitePages.Component(data, component, SiteLinks.Server), Html)
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
        _pages.GetOrAdd(path, _ => new Page(path, sameIn, () => SiteResponse.Of(render(), contentType)));

    /// <summary>One page of one content, and whether a request has read it: what the next build renders ahead.</summary>
    /// <param name="sameIn">The same page in another content, if it still exists there.</param>
    private sealed class Page(string path, Func<SiteContent, Page?> sameIn, Func<SiteResponse> render)
    {
        private readonly Lazy<SiteResponse> _response = new(render);
        private volatile bool _read;

        public string Path => path;

        public bool WasRead => _read;

        public bool IsRendered => _response.IsValueCreated;

        public bool IsGzipped => _response.IsValueCreated && _response.Value.Rendered.IsGzipped;

        public SiteResponse Read()
        {
            // Written once rather than by every request, so that the cores serving it do not pass the line around.
            if (!_read)
            {
                _read = true;
            }

            return _response.Value;
        }

        /// <summary>Renders the same page in the next content, and gzips it if this one was gzipped.</summary>
        public void RenderIn(SiteContent next)
        {
            if (sameIn(next) is not { } page)
            {
                return;
            }

            var rendered = page._response.Value.Rendered;
            if (IsGzipped)
            {
                _ = rendered.Gzipped;
            }
        }
    }
}
