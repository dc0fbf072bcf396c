using System.Text;
using System.Text.RegularExpressions;
using Candor.Monitoring;
using Candor.StatusPage.Site;

namespace Candor.Tests.Pages;

/// <summary>How a bar's days become the entries of the page: quiet days in a row are one entry, trouble one of its own.</summary>
public sealed partial class UptimeBarEntriesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Created 60 days ago at noon (day 29 of the bar), 100 checks a day since, two of which failed on 12 Oct, and a
    /// two-hour major outage with its incident on 16 Nov.
    /// </summary>
    private static IReadOnlyList<UptimeDay> Bar()
    {
        var created = Now.AddDays(-60);
        var outage = new DateTimeOffset(2026, 11, 16, 3, 0, 0, TimeSpan.Zero);
        var changes = new[]
        {
            new ComponentStatusChange("web", ComponentStatus.Operational, ComponentStatus.MajorOutage, outage),
            new ComponentStatusChange("web", ComponentStatus.MajorOutage, ComponentStatus.Operational, outage.AddHours(2)),
        };
        var checks = new Dictionary<DateOnly, CheckCount>();
        for (var date = DateOnly.FromDateTime(created.UtcDateTime); date <= DateOnly.FromDateTime(Now.UtcDateTime); date = date.AddDays(1))
        {
            checks[date] = new CheckCount(100, date == new DateOnly(2026, 10, 12) ? 2 : 0);
        }

        return UptimeBar.Compute(
            TimeZoneInfo.Utc, Now, created, ComponentStatus.Operational, changes,
            [new IncidentSpan("abc", "Website: major outage", outage, outage.AddHours(2))], checks);
    }

    private static List<(string Class, bool Focusable, string Text)> Entries(IReadOnlyList<UptimeDay> bar)
    {
        var html = new StringBuilder();
        SitePages.AppendDays(html, SiteLinks.Server, bar);
        return Entry().Matches(html.ToString())
            .Select(m => (m.Groups["class"].Value, m.Groups["focus"].Success, Regex.Replace(m.Groups["inner"].Value, "<[^>]+>", "")))
            .ToList();
    }

    [Fact]
    public void Quiet_days_in_a_row_are_one_entry_and_a_day_with_a_failed_check_or_trouble_is_its_own()
    {
        var entries = Entries(Bar());

        Assert.Equal(
            [
                ("day s-none run w29 at-start", false, "29 days, 23 Aug 2026 to 20 Sep 2026: no data"),
                ("day s-ok run w21", false, "21 days, 21 Sep 2026 to 11 Oct 2026: 100% uptime, no problems; 2,100 checks, 0 failed"),
                ("day s-ok", false, "12 Oct 2026: 100% uptime, no problems; 100 checks, 2 failed"),
                ("day s-ok run w34", false, "34 days, 13 Oct 2026 to 15 Nov 2026: 100% uptime, no problems; 3,400 checks, 0 failed"),
                ("day s-major at-end", true, "16 Nov 2026: 91.66% uptime, major outage; 100 checks, 0 failedWebsite: major outage"),
                ("day s-ok run w4 at-end", false, "4 days, 17 Nov 2026 to 20 Nov 2026: 100% uptime, no problems; 400 checks, 0 failed"),
            ],
            entries);
    }

    [Fact]
    public void A_bar_without_trouble_is_one_entry_for_the_days_before_the_component_and_one_since()
    {
        var bar = UptimeBar.Compute(TimeZoneInfo.Utc, Now, Now.AddHours(-1), ComponentStatus.Operational, [], [], new Dictionary<DateOnly, CheckCount>());

        var entries = Entries(bar);

        Assert.Equal(["day s-none run w89", "day s-ok at-end"], entries.Select(e => e.Class));
        Assert.Equal("20 Nov 2026: 100% uptime, no problems", entries[1].Text);
    }

    [GeneratedRegex("""<li class="(?<class>day[^"]*)"(?<focus> tabindex="0")?>(?<inner>.*?)</li>(?=<li class="day|$)""")]
    private static partial Regex Entry();
}
