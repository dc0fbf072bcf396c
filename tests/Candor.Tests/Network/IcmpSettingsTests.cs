using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;

namespace Candor.Tests.Network;

public sealed class IcmpSettingsTests
{
    [Fact]
    public void The_icmp_type_is_in_the_catalog_with_its_subjects()
    {
        var kind = CheckCatalog.Find("icmp");

        Assert.NotNull(kind);
        Assert.Equal(typeof(IcmpCheck), kind.CheckType);
        Assert.Equal(typeof(IcmpSettings), kind.SettingsType);
        Assert.Equal(
            ["packet_loss", "response_time", "rtt_avg", "rtt_max", "rtt_min"], kind.Subjects.Order(StringComparer.Ordinal));
        Assert.Empty(kind.DefaultConditions);
    }

    [Fact]
    public void The_defaults_send_five_requests_200ms_apart_and_wait_a_second_for_each_reply()
    {
        var settings = new IcmpSettings();

        Assert.Equal(5, settings.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.Spacing);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Wait);
        Assert.Empty(settings.Validate(Monitor("192.0.2.1")));
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::1")]
    [InlineData("router.acme.example")]
    public void A_target_is_a_host_name_or_an_address(string target)
    {
        Assert.Empty(new IcmpSettings().Validate(Monitor(target)));
    }

    [Theory]
    [InlineData("192.0.2.1:80", "ICMP has no ports: write the host alone, 192.0.2.1")]
    [InlineData("10.1", "'10.1' is not an IPv4 address written in full, like 192.0.2.1")]
    [InlineData("router acme example", "'router acme example' contains ' ' (U+0020), which has no place in a domain name")]
    public void A_target_that_is_not_a_host_is_a_problem_of_the_target_key(string target, string message)
    {
        Assert.Equal(new ConfigProblem("target", message), Assert.Single(new IcmpSettings().Validate(Monitor(target))));
    }

    [Fact]
    public void A_missing_target_is_a_problem()
    {
        Assert.Equal(
            new ConfigProblem("target", "an icmp monitor needs a target: a host name or IP address, e.g. 192.0.2.1"),
            Assert.Single(new IcmpSettings().Validate(Monitor(null))));
    }

    [Fact]
    public void Counts_spacings_and_waits_out_of_range_are_problems_of_their_keys()
    {
        var problems = new IcmpSettings { Count = 0, Spacing = TimeSpan.FromMilliseconds(1), Wait = TimeSpan.Zero }.Validate(null);

        Assert.Equal(
            [
                new ConfigProblem("count", "count must be at least 1, not 0"),
                new ConfigProblem("spacing", "spacing must be at least 10ms, not 1ms"),
                new ConfigProblem("wait", "wait must be longer than 0s"),
            ],
            problems);
    }

    [Fact]
    public void Requests_that_would_outlast_the_timeout_are_a_problem()
    {
        var settings = new IcmpSettings { Count = 50, Spacing = TimeSpan.FromMilliseconds(200) };

        var problem = Assert.Single(settings.Validate(Monitor("192.0.2.1")));

        Assert.Equal(
            new ConfigProblem(null, "50 requests 200ms apart and a wait of 1s take 10.8s, which does not fit in the timeout of 10s"),
            problem);
    }

    [Fact]
    public void The_keys_bind_from_the_config_file()
    {
        var loaded = ConfigLoader.LoadText(
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: gateway
                component: web
                type: icmp
                target: 192.0.2.1
                count: 10
                spacing: 50ms
                wait: 500ms
                conditions: [ "packet_loss < 20%", "rtt_avg < 50ms" ]
            """,
            "candor.yaml",
            _ => null);

        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        var settings = Assert.IsType<IcmpSettings>(Assert.Single(loaded.Config!.Monitors).Settings);
        Assert.Equal(new IcmpSettings { Count = 10, Spacing = TimeSpan.FromMilliseconds(50), Wait = TimeSpan.FromMilliseconds(500) }, settings);
    }

    [Fact]
    public void A_condition_on_a_subject_the_icmp_check_does_not_report_is_an_error()
    {
        var loaded = ConfigLoader.LoadText(
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: gateway, component: web, type: icmp, target: 192.0.2.1, conditions: [ "status == 200" ] }
            """,
            "candor.yaml",
            _ => null);

        var error = Assert.Single(loaded.Errors);
        Assert.Contains("packet_loss, response_time, rtt_avg, rtt_max, rtt_min", error.Message, StringComparison.Ordinal);
    }

    private static MonitorConfig Monitor(string? target) => new() { Id = "gateway", Type = "icmp", Target = target };
}
