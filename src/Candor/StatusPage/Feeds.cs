using System.Globalization;
using System.Text;
using System.Xml;
using Candor.Incidents;
using Candor.StatusPage.Api;

namespace Candor.StatusPage;

/// <summary>
/// The page's incidents as Atom and RSS feeds, newest first, and maintenance as an iCalendar feed, all built from
/// the public snapshot. Maintenance has no source yet, so the calendar is valid and empty and the feeds hold
/// incidents only.
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
            xml.WriteElementString("title", AtomNamespace, $"{snapshot.Page.Name}: incidents");
            xml.WriteElementString("id", AtomNamespace, url + "/feed.atom");
            xml.WriteElementString("updated", AtomNamespace, Rfc3339(snapshot.Page.UpdatedAt));
            Link(xml, url + "/feed.atom", "self");
            Link(xml, url + "/", "alternate");
            xml.WriteStartElement("author", AtomNamespace);
            xml.WriteElementString("name", AtomNamespace, snapshot.Page.Name);
            xml.WriteEndElement();
            foreach (var (incident, timeline) in Newest(snapshot))
            {
                var link = $"{url}/incidents/{Uri.EscapeDataString(incident.Id)}";
                xml.WriteStartElement("entry", AtomNamespace);
                xml.WriteElementString("title", AtomNamespace, $"{incident.Name} ({Words(incident.Status)})");
                xml.WriteElementString("id", AtomNamespace, link);
                xml.WriteElementString("published", AtomNamespace, Rfc3339(incident.CreatedAt));
                xml.WriteElementString("updated", AtomNamespace, Rfc3339(incident.UpdatedAt));
                Link(xml, link, "alternate");
                xml.WriteStartElement("content", AtomNamespace);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(Summary(timeline));
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
            xml.WriteElementString("title", $"{snapshot.Page.Name}: incidents");
            xml.WriteElementString("link", url + "/");
            xml.WriteElementString("description", $"Incidents on {snapshot.Page.Name}, newest first");
            xml.WriteElementString("lastBuildDate", snapshot.Page.UpdatedAt.ToString("r", CultureInfo.InvariantCulture));
            foreach (var (incident, timeline) in Newest(snapshot))
            {
                var link = $"{url}/incidents/{Uri.EscapeDataString(incident.Id)}";
                xml.WriteStartElement("item");
                xml.WriteElementString("title", $"{incident.Name} ({Words(incident.Status)})");
                xml.WriteElementString("link", link);
                xml.WriteStartElement("guid");
                xml.WriteAttributeString("isPermaLink", "true");
                xml.WriteString(link);
                xml.WriteEndElement();
                xml.WriteElementString("pubDate", incident.CreatedAt.ToString("r", CultureInfo.InvariantCulture));
                xml.WriteElementString("description", Summary(timeline));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        });
    }

    /// <summary>RFC 5545 with CRLF line ends; it gains one VEVENT per window once maintenance exists.</summary>
    public static string Calendar(PublicSnapshot snapshot) =>
        string.Join(
            "\r\n",
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Candor//Maintenance//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + IcsText($"{snapshot.Page.Name}: maintenance"),
            "END:VCALENDAR",
            "");

    private static IEnumerable<PublicIncident> Newest(PublicSnapshot snapshot) =>
        snapshot.Incidents.OrderByDescending(i => i.Incident.CreatedAt).Take(StatuspageWriter.HistoryLimit);

    /// <summary>The public updates, newest first, each with its time.</summary>
    private static string Summary(IReadOnlyList<IncidentEvent> timeline) =>
        string.Join(
            "\n\n",
            timeline.Where(e => e.Public).Reverse().OrderByDescending(e => e.At)
                .Select(e => $"{Words(e.Status)} ({Rfc3339(e.At)}): {e.Body}"));

    private static string Words(IncidentStatus status) => status.ToString().ToLowerInvariant();

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
