using System.Globalization;
using System.Text;
using System.Xml;
using Candor.Incidents;
using Candor.StatusPage.Api;

namespace Candor.StatusPage;

/// <summary>
/// The page's incidents and maintenance as Atom and RSS feeds, newest first, and the maintenance windows as an
/// iCalendar feed that calendar apps subscribe to, all built from the public snapshot.
/// </summary>
public static class Feeds
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    public static void MapFeeds(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feed.atom", (IPublicSnapshotSource source) =>
            TypedResults.Bytes(Atom(source.Current), "application/atom+xml; charset=utf-8"));
        app.MapGet("/feed.rss", (IPublicSnapshotSource source) =>
            TypedResults.Bytes(Rss(source.Current), "application/rss+xml; charset=utf-8"));
        app.MapGet("/maintenance.ics", (IPublicSnapshotSource source) =>
            TypedResults.Text(Calendar(source.Current), "text/calendar; charset=utf-8", Encoding.UTF8));
    }

    public static byte[] Atom(PublicSnapshot snapshot)
    {
        var url = Url(snapshot);
        return Xml(xml =>
        {
            xml.WriteStartElement("feed", AtomNamespace);
            xml.WriteElementString("title", AtomNamespace, $"{snapshot.Page.Name}: incidents and maintenance");
            xml.WriteElementString("id", AtomNamespace, url + "/feed.atom");
            xml.WriteElementString("updated", AtomNamespace, Rfc3339(snapshot.Page.UpdatedAt));
            Link(xml, url + "/feed.atom", "self");
            Link(xml, url + "/", "alternate");
            xml.WriteStartElement("author", AtomNamespace);
            xml.WriteElementString("name", AtomNamespace, snapshot.Page.Name);
            xml.WriteEndElement();
            foreach (var entry in Entries(snapshot))
            {
                xml.WriteStartElement("entry", AtomNamespace);
                xml.WriteElementString("title", AtomNamespace, entry.Title);
                xml.WriteElementString("id", AtomNamespace, entry.Id);
                xml.WriteElementString("published", AtomNamespace, Rfc3339(entry.Published));
                xml.WriteElementString("updated", AtomNamespace, Rfc3339(entry.Updated));
                Link(xml, entry.Link, "alternate");
                xml.WriteStartElement("content", AtomNamespace);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(entry.Summary);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        });
    }

    public static byte[] Rss(PublicSnapshot snapshot)
    {
        var url = Url(snapshot);
        return Xml(xml =>
        {
            xml.WriteStartElement("rss");
            xml.WriteAttributeString("version", "2.0");
            xml.WriteStartElement("channel");
            xml.WriteElementString("title", $"{snapshot.Page.Name}: incidents and maintenance");
            xml.WriteElementString("link", url + "/");
            xml.WriteElementString("description", $"Incidents and maintenance on {snapshot.Page.Name}, newest first");
            xml.WriteElementString("lastBuildDate", snapshot.Page.UpdatedAt.ToString("r", CultureInfo.InvariantCulture));
            foreach (var entry in Entries(snapshot))
            {
                xml.WriteStartElement("item");
                xml.WriteElementString("title", entry.Title);
                xml.WriteElementString("link", entry.Link);
                xml.WriteStartElement("guid");
                xml.WriteAttributeString("isPermaLink", "false");
                xml.WriteString(entry.Id);
                xml.WriteEndElement();
                xml.WriteElementString("pubDate", entry.Published.ToString("r", CultureInfo.InvariantCulture));
                xml.WriteElementString("description", entry.Summary);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        });
    }

    /// <summary>RFC 5545: one VEVENT per window, CRLF line ends, long lines folded at 75 octets.</summary>
    public static string Calendar(PublicSnapshot snapshot)
    {
        var host = snapshot.Page.Url.Host;
        var names = snapshot.Components.ToDictionary(c => c.Config.Id, c => c.Config.Name);
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Candor//Maintenance//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + IcsText($"{snapshot.Page.Name}: maintenance"),
        };
        foreach (var window in snapshot.Maintenances.OrderBy(m => m.ScheduledFor))
        {
            var components = string.Join(", ", window.ComponentIds.Select(id => names.GetValueOrDefault(id, id)));
            var body = window.Updates.Count > 0 ? window.Updates[0].Body : "";
            lines.AddRange(
            [
                "BEGIN:VEVENT",
                $"UID:{window.Id}@{host}",
                "DTSTAMP:" + IcsTime(window.UpdatedAt),
                "DTSTART:" + IcsTime(window.ScheduledFor),
                "DTEND:" + IcsTime(window.ScheduledUntil),
                "SUMMARY:" + IcsText($"Maintenance: {window.Name}"),
                "DESCRIPTION:" + IcsText($"{body}\nAffected: {components}\nStatus: {Words(window.Status)}"),
                "URL:" + snapshot.Page.Url.AbsoluteUri,
                "END:VEVENT",
            ]);
        }

        lines.Add("END:VCALENDAR");
        return string.Join("\r\n", lines.Select(Fold)) + "\r\n";
    }

    /// <summary>A feed entry: an incident or a maintenance window, with its public updates as the summary.</summary>
    private sealed record Entry(string Id, string Title, string Link, DateTimeOffset Published, DateTimeOffset Updated, string Summary);

    private static IEnumerable<Entry> Entries(PublicSnapshot snapshot)
    {
        var url = Url(snapshot);
        var incidents = snapshot.Incidents.Select(p =>
        {
            var link = $"{url}/incidents/{Uri.EscapeDataString(p.Incident.Id)}";
            return new Entry(link, $"{p.Incident.Name} ({Words(p.Incident.Status)})", link, p.Incident.CreatedAt, p.Incident.UpdatedAt, Summary(p.Timeline));
        });
        var maintenances = snapshot.Maintenances.Select(m => new Entry(
            $"{url}/maintenance/{Uri.EscapeDataString(m.Id)}",
            $"Maintenance: {m.Name} ({Words(m.Status)})",
            url + "/",
            m.CreatedAt,
            m.UpdatedAt,
            $"Scheduled from {Rfc3339(m.ScheduledFor)} to {Rfc3339(m.ScheduledUntil)}.\n\n" + string.Join(
                "\n\n", m.Updates.Reverse().OrderByDescending(u => u.At).Select(u => $"{Words(u.Status)} ({Rfc3339(u.At)}): {u.Body}"))));
        return incidents.Concat(maintenances).OrderByDescending(e => e.Published).Take(StatuspageWriter.HistoryLimit);
    }

    /// <summary>The public updates, newest first, each with its time.</summary>
    private static string Summary(IReadOnlyList<IncidentEvent> timeline) =>
        string.Join(
            "\n\n",
            timeline.Where(e => e.Public).Reverse().OrderByDescending(e => e.At)
                .Select(e => $"{Words(e.Status)} ({Rfc3339(e.At)}): {e.Body}"));

    private static string Words(IncidentStatus status) => status.ToString().ToLowerInvariant();

    private static string Words(MaintenanceStatus status) => status switch
    {
        MaintenanceStatus.InProgress => "in progress",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string IcsTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1).</summary>
    private static string Fold(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        if (bytes.Length <= 75)
        {
            return line;
        }

        var folded = new StringBuilder();
        var count = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (count + size > 75)
            {
                folded.Append("\r\n ");
                count = 1;
            }

            folded.Append(rune.ToString());
            count += size;
        }

        return folded.ToString();
    }

    private static string Url(PublicSnapshot snapshot) => snapshot.Page.Url.AbsoluteUri.TrimEnd('/');

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Link(XmlWriter xml, string href, string rel)
    {
        xml.WriteStartElement("link", AtomNamespace);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    /// <summary>UTF-8 without a byte order mark, as the XML declaration says.</summary>
    private static byte[] Xml(Action<XmlWriter> write)
    {
        using var bytes = new MemoryStream();
        using (var xml = XmlWriter.Create(bytes, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            write(xml);
            xml.WriteEndDocument();
        }

        return bytes.ToArray();
    }

    /// <summary>RFC 5545 TEXT: backslash, semicolon, comma and line breaks are escaped.</summary>
    private static string IcsText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
