using System.Text;
using Candor.StatusPage.Api;

namespace Candor.StatusPage.Site;

/// <summary>
/// The public status page as static files: the pages (linked to one another relatively), the Statuspage API
/// documents, the feeds, the badges and the static assets. Any static host can serve the folder, away from the
/// service the page reports on. A query string cannot choose a file, so the uptime badge is the 30-day one.
/// </summary>
internal static class StaticExport
{
    public const int UptimeBadgeDays = 30;

    /// <returns>The paths written, relative to <paramref name="directory"/>.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(SiteData data, string directory, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory);
        var written = new List<string>();
        async Task Write(string path, byte[] body)
        {
            var file = Path.GetFullPath(Path.Combine(root, path));
            if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"'{path}' would be written outside {root}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(file)!);

            // Written aside and moved into place, so that a host serving the folder never sends half a file.
            var partial = file + ".partial";
            await File.WriteAllBytesAsync(partial, body, cancellationToken);
            File.Move(partial, file, overwrite: true);
            written.Add(path);
        }

        Task Page(string path, Func<SiteLinks, string> render) => Write(path, Encoding.UTF8.GetBytes(render(SiteLinks.FromFile(path))));

        await Page("index.html", links => SitePages.Home(data, links));
        await Page("history.html", links => SitePages.History(data, links));
        await Page("subscribe.html", links => SitePages.Subscribe(data.Config, links, data.At));
        await Page("subscribe-webhook.html", links => SitePages.SubscribeWebhook(data.Config, links, data.At));
        foreach (var incident in data.Incidents)
        {
            await Page($"incidents/{incident.Incident.Id}.html", links => SitePages.Incident(data, incident, links));
        }

        foreach (var component in data.Public.Components)
        {
            var id = component.Config.Id;
            var charts = await data.ChartsAsync(component, cancellationToken);
            await Page($"components/{id}.html", links => SitePages.Component(data, component, charts, links));
            await Write($"badge/{id}.svg", Encoding.UTF8.GetBytes(Badge.Status(component.Config.Name, component.Status)));
            await Write(
                $"badge/{id}/uptime.svg",
                Encoding.UTF8.GetBytes(Badge.Uptime(UptimeBadgeDays, UptimeBar.Overall(data.Uptime[id], UptimeBadgeDays))));
        }

        var api = new StatuspageWriter(data.Public);
        foreach (var document in Enum.GetValues<StatuspageDocument>())
        {
            await Write(document.Path().TrimStart('/'), api.Render(document));
        }

        await Write("feed.atom", Feeds.Atom(data.Public));
        await Write("feed.rss", Feeds.Rss(data.Public));
        await Write("maintenance.ics", Encoding.UTF8.GetBytes(Feeds.Calendar(data.Public)));
        foreach (var (path, body, _) in SiteAssets.All)
        {
            await Write(path, body);
        }

        return written;
    }
}
