using System.Globalization;
using System.Text;
using System.Text.Json;
using Candor.Configuration;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.StatusPage.Api;

namespace Candor.StatusPage.Site;

/// <summary>A subscribe form as it was sent, to show again with what was wrong with it.</summary>
/// <param name="Field">The form field the error is about, if it is about one.</param>
internal sealed record RefusedSubscription(string? Field, string Error, string? Email, string? WebhookUrl, IReadOnlyList<string> Components);

/// <summary>
/// The public pages as HTML, rendered on the server from one <see cref="SiteData"/>. They work without
/// JavaScript: the range of a chart is a link to its panel (shown with <c>:target</c>), a day's detail shows on
/// hover and on keyboard focus, and the script only refreshes the page in place. Every text from the config, the
/// store or a person is encoded; update bodies go through <see cref="SafeMarkdown"/>.
/// </summary>
internal static class SitePages
{
    /// <summary>How often the script reloads a status page's content.</summary>
    public const int RefreshSeconds = 30;

    public static string Home(SiteData data, SiteLinks links)
    {
        var text = new SiteText(data.Zone);
        var main = new StringBuilder();
        var indicator = data.Status.Indicator.ToString().ToLowerInvariant();
        main.Append(CultureInfo.InvariantCulture, $"""
            <section class="banner banner-{indicator}" aria-labelledby="overall">
            <h1 id="overall">{Html.Text(data.Status.Description)}</h1>
            <p>As of {text.Time(data.At)}</p>
            </section>

            """);

        var active = data.Incidents.Where(i => i.Incident.IsOpen).ToList();
        if (active.Count > 0)
        {
            main.Append("""<section aria-labelledby="active-incidents"><h2 id="active-incidents">Active incidents</h2>""");
            foreach (var incident in active)
            {
                main.Append(CultureInfo.InvariantCulture, $"""
                    <article class="incident impact-{SiteText.Words(incident.Incident.Impact)}">
                    <h3><a href="{Html.Text(links.Incident(incident.Incident.Id))}">{Html.Text(incident.Incident.Name)}</a></h3>
                    <p class="meta"><span class="tag">{SiteText.Words(incident.Incident.Status)}</span> Affecting {Html.Text(ComponentNames(data, incident.Incident.ComponentIds))}</p>
                    {Verifying(data, incident.Incident, text)}{CustomerAction(incident.Incident)}{Timeline(data, incident, text, headingLevel: 4)}
                    </article>
                    """);
            }

            main.Append("</section>\n");
        }

        var maintenance = data.Maintenance.Where(w => !w.IsOver).OrderBy(w => w.ScheduledFor).ToList();
        if (maintenance.Count > 0)
        {
            main.Append("""<section aria-labelledby="maintenance"><h2 id="maintenance">Scheduled maintenance</h2><ul class="plain">""");
            foreach (var window in maintenance)
            {
                main.Append(CultureInfo.InvariantCulture, $"""
                    <li class="maintenance"><h3>{Html.Text(window.Title)}</h3>
                    <p class="meta"><span class="tag">{SiteText.Words(window.State)}</span> {text.Time(window.ScheduledFor)} to {text.Time(window.ScheduledUntil)} · {Html.Text(ComponentNames(data, window.ComponentIds))}</p>
                    {(window.Body.Length > 0 ? $"<div class=\"body\">{SafeMarkdown.ToHtml(window.Body)}</div>" : "")}</li>
                    """);
            }

            main.Append("</ul></section>\n");
        }

        main.Append("""<section aria-labelledby="components"><h2 id="components">Components</h2>""");
        foreach (var record in data.Layout.Ordered.Where(r => r.GroupId is null))
        {
            if (record.Children is { } children)
            {
                main.Append(CultureInfo.InvariantCulture, $"""<section class="group"><h3>{Html.Text(record.Name)}</h3>""");
                foreach (var child in children)
                {
                    main.Append(ComponentSummary(data, links, child, headingLevel: 4));
                }

                main.Append("</section>");
            }
            else
            {
                main.Append(ComponentSummary(data, links, record.Id, headingLevel: 3));
            }
        }

        main.Append("</section>\n");
        return Document(data.Config, null, main.ToString(), links, data.At, refresh: true);
    }

    public static string Incident(SiteData data, SiteIncident published, SiteLinks links)
    {
        var text = new SiteText(data.Zone);
        var incident = published.Incident;
        var main = new StringBuilder();
        main.Append(CultureInfo.InvariantCulture, $"""
            <p class="crumbs"><a href="{Html.Text(links.Home)}">Current status</a> › <a href="{Html.Text(links.History)}">History</a></p>
            <h1>{Html.Text(incident.Name)}</h1>
            <p class="meta"><span class="tag">{SiteText.Words(incident.Status)}</span> Impact: {SiteText.Words(incident.Impact)} · Opened {text.Time(incident.CreatedAt)}</p>

            """);
        if (incident.MaintenanceId is { } maintenanceId && data.Maintenance.FirstOrDefault(w => w.Id == maintenanceId) is { } window)
        {
            main.Append(CultureInfo.InvariantCulture, $"""<p class="note">This began during scheduled maintenance “{Html.Text(window.Title)}”, which started {text.Time(window.StartedAt ?? window.ScheduledFor)}.</p>""");
        }

        main.Append(Verifying(data, incident, text));
        main.Append(CustomerAction(incident));
        main.Append("""<section aria-labelledby="affected"><h2 id="affected">Affected components</h2><ul>""");
        foreach (var id in incident.ComponentIds)
        {
            var component = data.Public.Components.FirstOrDefault(c => c.Config.Id == id);
            main.Append(component is null
                ? $"<li>{Html.Text(id)}</li>"
                : $"""<li>{Html.Text(component.Config.Name)}: <span class="{SiteText.Class(component.Status)} status">{SiteText.Words(component.Status)}</span> now</li>""");
        }

        main.Append("</ul></section>");
        main.Append(ImpactWindow(data, incident, text));
        main.Append(Timeline(data, published, text, headingLevel: 2));
        return Document(data.Config, incident.Name, main.ToString(), links, data.At, refresh: true);
    }

    /// <summary>
    /// A component's own page: its status and uptime bar as on the home page, and the response times of each monitor
    /// that watches it. The charts are here rather than on the home page, which everyone reloads during an outage:
    /// there they made most of its weight.
    /// </summary>
    /// <param name="charts">The response times of the component's monitors, read for this page.</param>
    public static string Component(SiteData data, PublicComponent component, MonitorCharts charts, SiteLinks links)
    {
        var text = new SiteText(data.Zone);
        var main = new StringBuilder();
        main.Append(CultureInfo.InvariantCulture, $"""
            <p class="crumbs"><a href="{Html.Text(links.Home)}">Current status</a></p>
            <div class="component-head"><h1>{Html.Text(component.Config.Name)}</h1> <span class="status {SiteText.Class(component.Status)}">{SiteText.Words(component.Status)}</span></div>

            """);
        AppendDescriptionAndBar(main, data, links, component.Config);
        main.Append("""<section aria-labelledby="response-times"><h2 id="response-times">Response times</h2>""");
        var monitors = data.MonitorsOf(component);
        if (monitors.Count == 0)
        {
            main.Append("<p>No monitor watches this component.</p>");
        }
        else if (!charts.IsAvailable)
        {
            main.Append("<p>The response times could not be read just now. The status and the uptime above are current.</p>");
        }
        else
        {
            foreach (var monitor in monitors)
            {
                main.Append(Charts(data, text, monitor, charts));
            }
        }

        main.Append("</section>\n");
        return Document(data.Config, component.Config.Name, main.ToString(), links, data.At, refresh: true);
    }

    public static string History(SiteData data, SiteLinks links)
    {
        var text = new SiteText(data.Zone);
        var months = data.Incidents.Select(i => i.Incident.StartedAt)
            .Concat(data.Maintenance.Select(w => w.ScheduledFor))
            .Select(at => MonthOf(at, data.Zone))
            .Distinct()
            .OrderDescending()
            .ToList();
        var main = new StringBuilder();
        main.Append(CultureInfo.InvariantCulture, $"""<h1>History</h1><p>Incidents and maintenance by month, newest first. The <a href="{Html.Text(links.File("feed.atom"))}">Atom feed</a> has the same incidents.</p>""");
        if (months.Count == 0)
        {
            main.Append("<p>No incidents or maintenance yet.</p>");
        }

        foreach (var month in months)
        {
            var label = month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
            var slug = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            main.Append(CultureInfo.InvariantCulture, $"""<section aria-labelledby="m-{slug}"><h2 id="m-{slug}">{label}</h2><h3>Incidents</h3>""");
            var incidents = data.Incidents.Where(i => MonthOf(i.Incident.StartedAt, data.Zone) == month).ToList();
            if (incidents.Count == 0)
            {
                main.Append("<p>No incidents.</p>");
            }
            else
            {
                main.Append("""<ul class="history">""");
                foreach (var (incident, _) in incidents)
                {
                    var end = incident.ResolvedAt is { } resolved
                        ? $", lasted {SiteText.Duration(resolved - incident.StartedAt)}"
                        : "";
                    main.Append(CultureInfo.InvariantCulture, $"""<li><a href="{Html.Text(links.Incident(incident.Id))}">{Html.Text(incident.Name)}</a> <span class="tag">{SiteText.Words(incident.Status)}</span> <span class="meta">{text.Time(incident.StartedAt)}{end}</span></li>""");
                }

                main.Append("</ul>");
            }

            main.Append("<h3>Maintenance</h3>");
            var windows = data.Maintenance.Where(w => MonthOf(w.ScheduledFor, data.Zone) == month).ToList();
            if (windows.Count == 0)
            {
                main.Append("<p>No maintenance.</p>");
            }
            else
            {
                main.Append("""<ul class="history">""");
                foreach (var window in windows)
                {
                    main.Append(CultureInfo.InvariantCulture, $"""<li>{Html.Text(window.Title)} <span class="tag">{SiteText.Words(window.State)}</span> <span class="meta">{text.Time(window.ScheduledFor)} to {text.Time(window.ScheduledUntil)}</span></li>""");
                }

                main.Append("</ul>");
            }

            main.Append("</section>\n");
        }

        return Document(data.Config, "History", main.ToString(), links, data.At, refresh: true);
    }

    /// <summary>The subscribe page; <paramref name="refused"/> is a form just sent, with what was wrong with it.</summary>
    public static string Subscribe(CandorConfig config, SiteLinks links, DateTimeOffset now, RefusedSubscription? refused = null)
    {
        var main = SubscribeForm(
            config,
            links,
            "Subscribe to updates",
            refused,
            "E-mail subscriptions are not offered here. Follow the feeds below instead.",
            $"""
            <p><label for="email">E-mail address</label>
            <input id="email" type="email" name="email" required autocomplete="email"{Described("email-help", "email", refused)} value="{Html.Text(refused?.Email)}"></p>
            <p id="email-help" class="help">We send a link to confirm the address first, and nothing else until it is confirmed. Every message has a link to stop them.</p>
            """,
            "Subscribe");
        var webhooks = config.Notifications.Smtp is null
            ? "Webhooks are added by the page's administrators; ask them for one."
            : $"""<a href="{Html.Text(links.SubscribeWebhook)}">Subscribe a webhook</a>: a signed JSON request for every incident update""";
        main.Append(CultureInfo.InvariantCulture, $"""
            <section aria-labelledby="feeds"><h2 id="feeds">Feeds and webhooks</h2><ul>
            <li><a href="{Html.Text(links.File("feed.atom"))}">Atom feed</a> and <a href="{Html.Text(links.File("feed.rss"))}">RSS feed</a> of incidents</li>
            <li><a href="{Html.Text(links.File("maintenance.ics"))}">Maintenance calendar</a> (iCalendar)</li>
            <li><a href="{Html.Text(links.File("api/v2/summary.json"))}">Status API</a> in Statuspage's format, for widgets and scripts</li>
            <li>{webhooks}</li>
            </ul></section>
            """);
        return Document(config, "Subscribe", main.ToString(), links, now, refresh: false);
    }

    /// <summary>
    /// The page to subscribe a webhook. It is confirmed through the contact address given with it, as an e-mail
    /// subscription is through its own, so the form needs both.
    /// </summary>
    public static string SubscribeWebhook(CandorConfig config, SiteLinks links, DateTimeOffset now, RefusedSubscription? refused = null)
    {
        var main = SubscribeForm(
            config,
            links,
            "Subscribe a webhook",
            refused,
            "Webhooks are confirmed by e-mail, which this page does not send: ask the page's administrators to add one.",
            $"""
            <p><label for="webhook_url">Webhook URL</label>
            <input id="webhook_url" type="url" name="webhook_url" required{Described("webhook-help", "webhook_url", refused)} value="{Html.Text(refused?.WebhookUrl)}"></p>
            <p id="webhook-help" class="help">For every incident update, this URL gets a POST of JSON in Statuspage's incident format, signed with a key of its own.</p>
            <p><label for="email">Contact e-mail address</label>
            <input id="email" type="email" name="email" required autocomplete="email"{Described("contact-help", "email", refused)} value="{Html.Text(refused?.Email)}"></p>
            <p id="contact-help" class="help">We send a link here to confirm the webhook, and nothing to the webhook until it is followed. The page the link opens shows the signing key, once.</p>
            """,
            "Subscribe the webhook");
        main.Append(CultureInfo.InvariantCulture, $"""<p><a href="{Html.Text(links.Subscribe)}">Subscribe by e-mail, or follow a feed</a> instead.</p>""");
        return Document(config, "Subscribe a webhook", main.ToString(), links, now, refresh: false);
    }

    /// <summary>A page of the site around <paramref name="main"/>: header, navigation, footer with the time zone.</summary>
    public static string Document(CandorConfig config, string? title, string main, SiteLinks links, DateTimeOffset now, bool refresh)
    {
        var text = new SiteText(TimeZoneInfo.FindSystemTimeZoneById(config.Page.TimeZone));
        var fullTitle = title is null ? config.Page.Name : $"{title} · {config.Page.Name}";
        var formTarget = links.Export && config.Page.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var page)
            ? " " + page.GetLeftPart(UriPartial.Authority)
            : "";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta http-equiv="Content-Security-Policy" content="{SecurityHeaders.DocumentPolicy}; form-action 'self'{Html.Text(formTarget)}">
            <title>{Html.Text(fullTitle)}</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="{Html.Text(links.File(SiteAssets.Stylesheet) + SiteAssets.VersionOf(SiteAssets.Stylesheet))}">
            <link rel="alternate" type="application/atom+xml" title="{Html.Text(config.Page.Name)}: incidents" href="{Html.Text(links.File("feed.atom"))}">
            <script src="{Html.Text(links.File(SiteAssets.Script) + SiteAssets.VersionOf(SiteAssets.Script))}" defer></script>
            </head>
            <body{(refresh ? $" data-refresh=\"{RefreshSeconds}\"" : "")}>
            <a class="skip" href="#main">Skip to content</a>
            <header class="site"><a class="brand" href="{Html.Text(links.Home)}">{Html.Text(config.Page.Name)}</a>
            <nav aria-label="Site"><a href="{Html.Text(links.History)}">History</a> <a href="{Html.Text(links.Subscribe)}">Subscribe</a></nav></header>
            <main id="main">
            {main}
            </main>
            <footer><p>Times are shown in {Html.Text(text.ZoneName(now))}.</p></footer>
            </body>
            </html>

            """;
    }

    /// <summary>
    /// A subscribe page's heading and form: the error of a refused one, the <paramref name="fields"/>, and the
    /// components to follow. Every subscription is confirmed by e-mail, so without a mail server there is no form,
    /// only <paramref name="withoutMail"/>.
    /// </summary>
    private static StringBuilder SubscribeForm(
        CandorConfig config, SiteLinks links, string heading, RefusedSubscription? refused, string withoutMail, string fields, string button)
    {
        var main = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<h1>{Html.Text(heading)}</h1>");
        if (refused is not null)
        {
            main.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert" id="form-error">{Html.Text(refused.Error)}</p>""");
        }

        if (config.Notifications.Smtp is null)
        {
            return main.Append(CultureInfo.InvariantCulture, $"<p>{Html.Text(withoutMail)}</p>");
        }

        // An export's form posts to the live server, which it is not.
        var action = links.Export && config.Page.Url is { } url ? url.TrimEnd('/') + "/subscribe" : "/subscribe";
        main.Append(CultureInfo.InvariantCulture, $"""<form method="post" action="{Html.Text(action)}" class="subscribe">""").Append('\n').Append(fields);
        main.Append("<fieldset><legend>Only these components (none ticked: all of them)</legend>");
        foreach (var component in config.Components)
        {
            var id = "c-" + component.Id;
            var ticked = refused?.Components.Contains(component.Id) == true ? " checked" : "";
            main.Append(CultureInfo.InvariantCulture, $"""<p class="check"><input type="checkbox" id="{Html.Text(id)}" name="components" value="{Html.Text(component.Id)}"{ticked}> <label for="{Html.Text(id)}">{Html.Text(component.Name)}</label></p>""");
        }

        return main.Append(CultureInfo.InvariantCulture, $"""</fieldset><p><button type="submit">{Html.Text(button)}</button></p></form>""");
    }

    /// <summary>The field's help, and the error of a refused form when it is about this field.</summary>
    private static string Described(string help, string field, RefusedSubscription? refused) =>
        refused?.Field == field ? $" aria-describedby=\"{help} form-error\" aria-invalid=\"true\"" : $" aria-describedby=\"{help}\"";

    /// <summary>A component on the home page: its status and uptime bar, its name a link to its own page.</summary>
    private static string ComponentSummary(SiteData data, SiteLinks links, string componentId, int headingLevel)
    {
        var component = data.Public.Components.First(c => c.Config.Id == componentId);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <div class="component" id="component-{Html.Text(componentId)}">
            <div class="component-head"><h{headingLevel}><a href="{Html.Text(links.Component(componentId))}">{Html.Text(component.Config.Name)}</a></h{headingLevel}> <span class="status {SiteText.Class(component.Status)}">{SiteText.Words(component.Status)}</span></div>

            """);
        AppendDescriptionAndBar(html, data, links, component.Config);
        html.Append("</div>\n");
        return html.ToString();
    }

    private static void AppendDescriptionAndBar(StringBuilder html, SiteData data, SiteLinks links, ComponentConfig component)
    {
        if (component.Description is { Length: > 0 } description)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="description">{Html.Text(description)}</p>""");
        }

        var bar = data.Uptime[component.Id];
        var overall = UptimeBar.Overall(bar, UptimeBar.Days);
        html.Append(CultureInfo.InvariantCulture, $"""<ol class="bar" aria-label="{Html.Text(component.Name)}: the last {UptimeBar.Days} days">""");
        AppendDays(html, links, bar);
        html.Append(CultureInfo.InvariantCulture, $"""
            </ol>
            <p class="bar-legend"><span>{UptimeBar.Days} days ago</span><span>{(overall is { } u ? Badge.Percent(u) + " uptime" : "No data yet")}</span><span>Today</span></p>

            """);
    }

    /// <summary>
    /// The entries of a bar. Days in a row with nothing to tell them apart (no data, or operational without an incident
    /// or a failed check) are one entry, drawn as that many days by the stylesheet and summarised once: as 90 entries,
    /// a quiet bar was most of a page's bytes and 90 sentences for a screen reader. A quiet entry's summary is read
    /// where it is and shown on hover. A day with trouble is an entry of its own, focusable, with its incidents.
    /// </summary>
    internal static void AppendDays(StringBuilder html, SiteLinks links, IReadOnlyList<UptimeDay> bar)
    {
        for (var start = 0; start < bar.Count;)
        {
            var end = start + 1;
            if (IsTroubled(bar[start]))
            {
                html.Append(TroubledDay(links, bar[start], TipSide(start, end, bar.Count)));
            }
            else
            {
                while (Merges(bar[start]) && end < bar.Count && Merges(bar[end]) && bar[end].Worst == bar[start].Worst)
                {
                    end++;
                }

                html.Append(QuietDays(bar, start, end));
            }

            start = end;
        }
    }

    private static bool IsTroubled(UptimeDay day) => day.Worst > DayHealth.Operational || day.Incidents.Count > 0;

    /// <summary>A quiet day with a failed check keeps its own entry, to say how many failed that day.</summary>
    private static bool Merges(UptimeDay day) => !IsTroubled(day) && day.Checks.Failures == 0;

    private static string QuietDays(IReadOnlyList<UptimeDay> bar, int start, int end)
    {
        var days = end - start;
        var first = bar[start];
        var dates = days == 1
            ? SiteText.Date(first.Date)
            : $"{days} days, {SiteText.Date(first.Date)} to {SiteText.Date(bar[end - 1].Date)}";
        var run = days == 1 ? "" : $" run w{days}";
        var summary = Summary(dates, UptimeBar.Overall(bar.Skip(start).Take(days).ToList(), days), first.Worst, Sum(bar, start, end));
        return $"""<li class="day {SiteText.Class(first.Worst)}{run}{TipSide(start, end, bar.Count)}"><span class="vh">{Html.Text(summary)}</span></li>""";
    }

    private static string TroubledDay(SiteLinks links, UptimeDay day, string tipSide)
    {
        var summary = Summary(SiteText.Date(day.Date), day.Uptime, day.Worst, day.Checks);
        var incidents = string.Concat(day.Incidents.Select(i =>
            $"""<li><a href="{Html.Text(links.Incident(i.Id))}">{Html.Text(i.Name)}</a></li>"""));
        var list = day.Incidents.Count == 0 ? "<span class=\"tip-none\">No incidents.</span>" : $"<ul>{incidents}</ul>";
        return $"""<li class="day {SiteText.Class(day.Worst)}{tipSide}" tabindex="0"><span class="tip"><strong>{Html.Text(summary)}</strong>{list}</span></li>""";
    }

    private static string Summary(string dates, double? uptime, DayHealth worst, CheckCount checks)
    {
        var summary = $"{dates}: {(uptime is { } u ? Badge.Percent(u) + " uptime, " : "")}{SiteText.Words(worst)}";
        return checks.Checks > 0
            ? summary + $"; {checks.Checks.ToString("N0", CultureInfo.InvariantCulture)} checks, {checks.Failures.ToString("N0", CultureInfo.InvariantCulture)} failed"
            : summary;
    }

    private static CheckCount Sum(IReadOnlyList<UptimeDay> bar, int start, int end)
    {
        var sum = default(CheckCount);
        for (var i = start; i < end; i++)
        {
            sum += bar[i].Checks;
        }

        return sum;
    }

    /// <summary>
    /// A tip is centred over its entry, but one near an end of the bar would stick out of the page: it is lined up
    /// with that end instead.
    /// </summary>
    private static string TipSide(int start, int end, int days) =>
        (start + end) / 2.0 < 20 ? " at-start" : (start + end) / 2.0 > days - 20 ? " at-end" : "";

    private static string Charts(SiteData data, SiteText text, MonitorConfig monitor, MonitorCharts charts)
    {
        var name = monitor.Name ?? monitor.Id;
        var id = "chart-" + monitor.Id;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <div class="charts">
            <p class="chart-name">{Html.Text(name)}: response time</p>
            <p class="ranges">
            """);
        foreach (var range in Enum.GetValues<ChartRange>())
        {
            html.Append(CultureInfo.InvariantCulture, $"""<a href="#{id}-{range.Slug()}">{range.Words()}</a> """);
        }

        html.Append("</p>");
        foreach (var range in Enum.GetValues<ChartRange>())
        {
            var panel = $"{id}-{range.Slug()}";
            var svg = ResponseTimeChart.Svg(
                panel,
                $"{name}: average response time, last {range.Words()}",
                charts.Series(monitor.Id, range, data.At),
                data.At - range.Span(),
                data.At,
                range.BucketSize(),
                at => range == ChartRange.Day ? text.Clock(at) : text.Day(at));
            html.Append(CultureInfo.InvariantCulture, $"""<figure class="chart{(range == ChartRange.Day ? " default" : "")}" id="{panel}">{svg}</figure>""");
        }

        html.Append("</div>\n");
        return html.ToString();
    }

    private static string Verifying(SiteData data, Incident incident, SiteText text)
    {
        if (incident.Status != IncidentStatus.Monitoring)
        {
            return "";
        }

        var verifyFor = data.Config.Incidents.VerifyFor;
        if (incident.VerifyingSince is not { } since)
        {
            return """<section class="verify"><h2>Verifying the fix</h2><p>The fix is being watched. Verification starts once every affected check passes again.</p></section>""";
        }

        var done = data.At - since;
        done = done < TimeSpan.Zero ? TimeSpan.Zero : done > verifyFor ? verifyFor : done;
        var minutes = (int)done.TotalMinutes;
        var total = (int)Math.Ceiling(verifyFor.TotalMinutes);
        var percent = (int)(100 * done / verifyFor);
        return $"""
            <section class="verify" aria-labelledby="verify-{incident.Id}"><h2 id="verify-{incident.Id}">Verifying the fix</h2>
            <p>Every affected check is passing again. This incident is resolved only once every location has seen them pass for {SiteText.Duration(verifyFor)}; a failure starts the window again.</p>
            <p><label for="progress-{incident.Id}">Verified for {minutes} of {total} minutes, since {text.Time(since)}</label>
            <progress id="progress-{incident.Id}" max="100" value="{percent}">{percent}%</progress></p>
            </section>

            """;
    }

    private static string CustomerAction(Incident incident) =>
        incident.CustomerAction is { Length: > 0 } action
            ? $"""<section class="action" aria-label="What you should do"><h2>What you should do</h2><p>{Html.Text(action)}</p></section>"""
            : "";

    private static string ImpactWindow(SiteData data, Incident incident, SiteText text)
    {
        if (incident.ImpactStart is not { } start)
        {
            return "";
        }

        var sentence = incident.IsOpen || incident.ImpactEnd is null
            ? $"Customers have been affected since {text.Time(start)} ({SiteText.Duration(data.At - start)} so far)."
            : $"Customers were affected from {text.Time(start)} to {text.Time(incident.ImpactEnd.Value)} ({SiteText.Duration(incident.ImpactEnd.Value - start)}).";
        return $"""<section aria-labelledby="impact"><h2 id="impact">Impact</h2><p>{sentence}</p></section>""";
    }

    private static string Timeline(SiteData data, SiteIncident incident, SiteText text, int headingLevel)
    {
        var html = new StringBuilder();
        var headingId = $"updates-{incident.Incident.Id}";
        html.Append(CultureInfo.InvariantCulture, $"""<section aria-labelledby="{headingId}"><h{headingLevel} id="{headingId}">Updates</h{headingLevel}><ol class="timeline">""");
        foreach (var update in incident.Timeline.Reverse().OrderByDescending(e => e.At))
        {
            var automatic = update.Actor == "candor";
            var kind = Kind(update);
            html.Append(CultureInfo.InvariantCulture, $"""
                <li class="update{(automatic ? " automatic" : "")}">
                <p class="meta"><strong>{SiteText.Words(update.Status)}</strong> · {text.Time(update.At)} · {kind}</p>
                <div class="body">{SafeMarkdown.ToHtml(update.Body)}</div>
                """);
            if (Evidence(data, update) is { } evidence)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<p class="evidence">{Html.Text(evidence)}</p>""");
            }

            if (update.CustomerAction is { Length: > 0 } action)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<p class="evidence"><strong>What you should do:</strong> {Html.Text(action)}</p>""");
            }

            html.Append("</li>\n");
        }

        html.Append("</ol></section>\n");
        return html.ToString();
    }

    private static string Kind(IncidentEvent update) => (update.Kind, update.Actor == "candor") switch
    {
        (IncidentEventKind.Resolved, false) when update.Evidence is not null => "Resolved by override, before verification finished",
        (IncidentEventKind.Resolved, true) => "Resolved automatically after verification",
        (IncidentEventKind.Opened, true) => "Opened automatically on confirmed failures",
        (IncidentEventKind.Transition, _) => "Automatic: every check passing again",
        (IncidentEventKind.Regressed, _) => "Automatic: the problem returned",
        (IncidentEventKind.ComponentsJoined, _) => "Automatic: another component affected",
        _ => "Update",
    };

    /// <summary>
    /// The evidence behind an automatic entry, summarised for the public: which checks failed from where, or what was
    /// still unverified when someone overrode. The raw messages stay internal: they may name private hosts.
    /// </summary>
    private static string? Evidence(SiteData data, IncidentEvent update)
    {
        if (update.Evidence is null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(update.Evidence);
            var root = json.RootElement;
            if (update.Kind == IncidentEventKind.Resolved && root.ValueKind == JsonValueKind.Array)
            {
                var missing = root.EnumerateArray().Select(r => r.GetString()).OfType<string>().ToList();
                return missing.Count == 0 ? null : "Still unverified when resolved: " + string.Join("; ", missing) + ".";
            }

            if (update.Kind is IncidentEventKind.Opened or IncidentEventKind.ComponentsJoined && root.ValueKind == JsonValueKind.Array)
            {
                var seen = root.EnumerateArray().Select(m =>
                {
                    var id = m.GetProperty("monitor").GetString() ?? "";
                    var name = data.Config.Monitors.FirstOrDefault(x => x.Id == id)?.Name ?? id;
                    var locations = m.GetProperty("locations").EnumerateArray()
                        .Select(l => l.GetProperty("location").GetString())
                        .OfType<string>();
                    return $"{name} (from {string.Join(", ", locations)})";
                }).ToList();
                return seen.Count == 0 ? null : "Seen failing: " + string.Join("; ", seen) + ".";
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Evidence of an older shape than this page knows: the entry's own sentence says enough.
        }

        return null;
    }

    private static string ComponentNames(SiteData data, IEnumerable<string> ids) =>
        string.Join(", ", ids.Select(id => data.Public.Components.FirstOrDefault(c => c.Config.Id == id)?.Config.Name ?? id));

    private static DateOnly MonthOf(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return new DateOnly(local.Year, local.Month, 1);
    }
}
