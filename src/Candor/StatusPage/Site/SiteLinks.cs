namespace Candor.StatusPage.Site;

/// <summary>
/// Where a page's links point. The server uses its routes (<c>/incidents/ID</c>); an export links file to file,
/// relatively (<c>../incidents/ID.html</c>), so that it works from any folder of any static host.
/// </summary>
/// <param name="Export">Whether the links are between exported files.</param>
/// <param name="Depth">How many folders deep the exported page is (0 for index.html, 1 for incidents/ID.html).</param>
public sealed record SiteLinks(bool Export, int Depth)
{
    public static readonly SiteLinks Server = new(false, 0);

    /// <summary>Links from an exported file at this path (e.g. <c>incidents/abc.html</c>).</summary>
    public static SiteLinks FromFile(string path) => new(true, path.Count(c => c == '/'));

    public string Home => Export ? Up + "index.html" : "/";

    public string History => To("/history", "history.html");

    public string Subscribe => To("/subscribe", "subscribe.html");

    public string SubscribeWebhook => To("/subscribe/webhook", "subscribe-webhook.html");

    public string Incident(string id) => To("/incidents/" + Uri.EscapeDataString(id), $"incidents/{Uri.EscapeDataString(id)}.html");

    public string Component(string id) => To("/components/" + Uri.EscapeDataString(id), $"components/{Uri.EscapeDataString(id)}.html");

    public string StatusBadge(string componentId) => To($"/badge/{Uri.EscapeDataString(componentId)}.svg", $"badge/{Uri.EscapeDataString(componentId)}.svg");

    public string UptimeBadge(string componentId) =>
        To($"/badge/{Uri.EscapeDataString(componentId)}/uptime.svg", $"badge/{Uri.EscapeDataString(componentId)}/uptime.svg");

    /// <summary>A file served as it is: <c>static/candor.css</c>, <c>feed.atom</c>, <c>api/v2/summary.json</c>.</summary>
    public string File(string path) => To("/" + path, path);

    private string Up => string.Concat(Enumerable.Repeat("../", Depth));

    private string To(string route, string file) => Export ? Up + file : route;
}
