using System.Text;
using Candor.StatusPage.Api;

namespace Candor.Tests.StatusPage;

/// <summary>The Acme Cloud snapshot, rendered, against the Statuspage example responses of the same page.</summary>
public class ExampleShapeTests
{
    public static TheoryData<StatuspageDocument> Documents => [.. Enum.GetValues<StatuspageDocument>()];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_document_has_the_keys_key_order_value_kinds_and_timestamp_layout_of_its_example(StatuspageDocument document)
    {
        var rendered = Encoding.UTF8.GetString(new StatuspageWriter(AcmeCloud.Snapshot()).Render(document));

        Assert.Empty(JsonShape.Differences(ExampleFiles.Read(document), rendered));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_document_is_its_example_byte_for_byte_but_for_the_values_Candor_makes_itself(StatuspageDocument document)
    {
        var expected = ExampleFiles.Read(document);
        foreach (var (example, candor, _) in CandorsOwnValues())
        {
            expected = expected.Replace(example, candor, StringComparison.Ordinal);
        }

        var rendered = Encoding.UTF8.GetString(new StatuspageWriter(AcmeCloud.Snapshot()).Render(document));

        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void Each_value_Candor_makes_itself_is_found_in_the_examples()
    {
        var all = string.Concat(Enum.GetValues<StatuspageDocument>().Select(ExampleFiles.Read));
        Assert.All(CandorsOwnValues(), v => Assert.Contains(v.Example, all, StringComparison.Ordinal));
    }

    /// <summary>Where Candor's answer differs from Statuspage's on the same page, and why.</summary>
    private static IEnumerable<(string Example, string Candor, string Why)> CandorsOwnValues()
    {
        yield return ("c9x4m1t6z2hq", StatuspageIds.GroupId(AcmeCloud.CorePlatform), "a group's id is a hash of its name");
        yield return (
            "2019-03-04T11:22:10.004-05:00",
            "2019-03-04T11:20:45.112-05:00",
            "a group is as old as its oldest member");
        yield return (
            "\"description\":null,\"showcase\":false,\"start_date\":\"2022-08-01\"",
            "\"description\":null,\"showcase\":true,\"start_date\":\"2022-08-01\"",
            "every component has its uptime bar");
        foreach (var (link, id) in new[]
        {
            ("d4k9w2m7q1xv", "x7n2c9v4b1qz"),
            ("k3m8p1s6v9ya", "q2w6e9r3t7yb"),
            ("r7t2y5u8i1op", "z5x1c8v3b6nm"),
            ("w8r3t6y1u5ip", "s9d2f6h1k3pw"),
        })
        {
            yield return ($"https://stspg.io/{link}", $"{AcmeCloud.Url}/incidents/{id}", "the short link is the incident's page");
        }

        yield return (
            "\"updated_at\":\"2025-01-21T07:16:40.208-05:00\",\"display_at\":\"2025-01-21T07:05:00.000-05:00\"",
            "\"updated_at\":\"2025-01-21T07:14:53.016-05:00\",\"display_at\":\"2025-01-21T07:14:53.016-05:00\"",
            "updates are neither edited nor back-dated");
    }
}
