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
/// The pages of one <see cref="SiteData"/>, each rendered on its first request and then served from memory until
/// the next build replaces the whole. Only names that exist are cached, so the cache cannot be grown by asking
/// for made-up ones.
/// </summary>
internal sealed class SiteContent(SiteData data)
{
    public const string Html = "text/html; charset=utf-8";
    public const string Svg = "image/svg+xml; charset=utf-8";

    private readonly ConcurrentDictionary<string, Lazy<SiteResponse>> _responses = new(StringComparer.Ordinal);

    // The pages every visitor asks for are fields, so that serving one allocates nothing.
    private readonly Lazy<SiteResponse> _home = new(() => SiteResponse.Of(SitePages.Home(data, SiteLinks.Server), Html));
    private readonly Lazy<SiteResponse> _history = new(() => SiteResponse.Of(SitePages.History(data, SiteLinks.Server), Html));
    private readonly Lazy<SiteResponse> _subscribe = new(() => SiteResponse.Of(SitePages.Subscribe(data.Config, SiteLinks.Server, data.At), Html));

    public SiteData Data => data;

    public SiteResponse Home => _home.Value;

    public SiteResponse History => _history.Value;

    public SiteResponse Subscribe => _subscribe.Value;

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
