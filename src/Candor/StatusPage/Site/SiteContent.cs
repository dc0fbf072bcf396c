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
/// The pages of one <see cref="SiteData"/>, served from memory until the next build replaces the whole. The pages
/// at fixed paths are rendered with it, by the build; the others on their first request. Only names that exist
/// are cached, so the cache cannot be grown by asking for made-up ones.
/// </summary>
internal sealed class SiteContent(SiteData data)
{
    public const string Html = "text/html; charset=utf-8";
    public const string Svg = "image/svg+xml; charset=utf-8";

    private readonly ConcurrentDictionary<string, Lazy<SiteResponse>> _responses = new(StringComparer.Ordinal);

    public SiteData Data => data;

    /// <summary>
    /// Rendered when the content is built, not on the first request after it: the home page of a large site takes
    /// long enough to render that every request arriving meanwhile would hold a pool thread waiting for it, and
    /// under a surge that left the server without threads to answer anything else.
    /// </summary>
    public SiteResponse Home { get; } = SiteResponse.Of(SitePages.Home(data, SiteLinks.Server), Html);

    public SiteResponse History { get; } = SiteResponse.Of(SitePages.History(data, SiteLinks.Server), Html);

    public SiteResponse Subscribe { get; } = SiteResponse.Of(SitePages.Subscribe(data.Config, SiteLinks.Server, data.At), Html);

    public SiteResponse SubscribeWebhook =>
        Get("/subscribe/webhook", () => SitePages.SubscribeWebhook(data.Config, SiteLinks.Server, data.At), Html);

    public SiteResponse? Incident(string id) =>
        data.Incident(id) is { } incident
            ? Get("/incidents/" + id, () => SitePages.Incident(data, incident, SiteLinks.Server), Html)
            : null;

    public SiteResponse? StatusBadge(string componentId) =>
        data.Public.Components.FirstOrDefault(c => c.Config.Id == componentId) is { } component
            ? Get("badge " + componentId, () => Badge.Status(component.Config.Name, component.Status), Svg)
            : null;

    /// <param name="days">From 1 to <see cref="UptimeBar.Days"/>.</param>
    public SiteResponse? UptimeBadge(string componentId, int days) =>
        data.Uptime.TryGetValue(componentId, out var bar) && days is >= 1 and <= UptimeBar.Days
            ? Get($"uptime {componentId} {days}", () => Badge.Uptime(days, UptimeBar.Overall(bar, days)), Svg)
            : null;

    private SiteResponse Get(string key, Func<string> render, string contentType) =>
        _responses.GetOrAdd(key, _ => new Lazy<SiteResponse>(() => SiteResponse.Of(render(), contentType))).Value;
}
