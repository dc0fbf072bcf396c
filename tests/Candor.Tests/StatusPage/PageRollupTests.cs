using Candor.Monitoring;
using Candor.StatusPage.Api;

namespace Candor.Tests.StatusPage;

/// <summary>
/// The page's status for every combination of component statuses: none, one component of each status, and
/// every set of statuses held by two or more components. Maintenance enters as <c>under_maintenance</c>.
/// </summary>
public class PageRollupTests
{
    private const string O = "operational";
    private const string D = "degraded_performance";
    private const string P = "partial_outage";
    private const string M = "major_outage";
    private const string U = "under_maintenance";

    public static TheoryData<string, string, string> Table => new()
    {
        // No component: nothing can be down.
        { "", "none", "All Systems Operational" },

        // One component: the mapping Statuspage documents.
        { O, "none", "All Systems Operational" },
        { D, "minor", "Partially Degraded Service" },
        { P, "major", "Partial System Outage" },
        { M, "critical", "Major System Outage" },
        { U, "maintenance", "Service Under Maintenance" },

        // Several components, all of one status.
        { $"{O},{O}", "none", "All Systems Operational" },
        { $"{D},{D}", "minor", "Degraded System Service" },
        { $"{P},{P}", "major", "Partial System Outage" },
        { $"{M},{M}", "critical", "Major System Outage" },
        { $"{U},{U}", "maintenance", "Service Under Maintenance" },

        // Two statuses.
        { $"{O},{D}", "minor", "Partially Degraded Service" },
        { $"{O},{P}", "minor", "Minor Service Outage" },
        { $"{O},{M}", "major", "Partial System Outage" },
        { $"{O},{U}", "maintenance", "Service Under Maintenance" },
        { $"{D},{P}", "minor", "Minor Service Outage" },
        { $"{D},{M}", "major", "Partial System Outage" },
        { $"{D},{U}", "minor", "Partially Degraded Service" },
        { $"{P},{M}", "major", "Partial System Outage" },
        { $"{P},{U}", "minor", "Minor Service Outage" },
        { $"{M},{U}", "major", "Partial System Outage" },

        // Three statuses.
        { $"{O},{D},{P}", "minor", "Minor Service Outage" },
        { $"{O},{D},{M}", "major", "Partial System Outage" },
        { $"{O},{D},{U}", "minor", "Partially Degraded Service" },
        { $"{O},{P},{M}", "major", "Partial System Outage" },
        { $"{O},{P},{U}", "minor", "Minor Service Outage" },
        { $"{O},{M},{U}", "major", "Partial System Outage" },
        { $"{D},{P},{M}", "major", "Partial System Outage" },
        { $"{D},{P},{U}", "minor", "Minor Service Outage" },
        { $"{D},{M},{U}", "major", "Partial System Outage" },
        { $"{P},{M},{U}", "major", "Partial System Outage" },

        // Four statuses.
        { $"{O},{D},{P},{M}", "major", "Partial System Outage" },
        { $"{O},{D},{P},{U}", "minor", "Minor Service Outage" },
        { $"{O},{D},{M},{U}", "major", "Partial System Outage" },
        { $"{O},{P},{M},{U}", "major", "Partial System Outage" },
        { $"{D},{P},{M},{U}", "major", "Partial System Outage" },

        // All five.
        { $"{O},{D},{P},{M},{U}", "major", "Partial System Outage" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void The_page_status_follows_the_table(string components, string indicator, string description)
    {
        var status = PageRollup.Of(Parse(components));

        Assert.Equal((indicator, description), (Wire(status.Indicator), status.Description));
    }

    [Fact]
    public void The_table_holds_every_combination_of_statuses()
    {
        var statuses = Enum.GetValues<ComponentStatus>();
        var rows = Table.Select(row => (string)row[0]).Where(r => r.Contains(',', StringComparison.Ordinal))
            .Select(r => string.Join(",", Parse(r).Distinct().Order()))
            .ToHashSet();

        for (var mask = 1; mask < 1 << statuses.Length; mask++)
        {
            var set = string.Join(",", statuses.Where((_, i) => (mask & (1 << i)) != 0).Order());
            Assert.Contains(set, rows);
        }
    }

    [Fact]
    public void How_many_components_share_a_status_changes_nothing_beyond_one_or_several()
    {
        ComponentStatus[] few = [ComponentStatus.Operational, ComponentStatus.PartialOutage];
        ComponentStatus[] many = [.. Enumerable.Repeat(ComponentStatus.Operational, 40), .. Enumerable.Repeat(ComponentStatus.PartialOutage, 3)];

        Assert.Equal(PageRollup.Of(few), PageRollup.Of(many));
    }

    private static ComponentStatus[] Parse(string statuses) =>
        [.. statuses.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Enum.Parse<ComponentStatus>(s.Replace("_", ""), ignoreCase: true))];

    private static string Wire(PageIndicator indicator) => indicator.ToString().ToLowerInvariant();
}
