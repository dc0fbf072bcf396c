using System.Globalization;
using System.Xml.Linq;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Cli;

/// <summary>`candor test` run as CI runs it: the real executable, its output not a terminal, its exit code read.</summary>
public sealed class TestCommandTests(TestHttpServer target) : IClassFixture<TestHttpServer>, IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Url(string path) => $"http://127.0.0.1:{target.HttpPort}{path}";

    [Fact]
    public async Task When_every_monitor_passes_it_exits_0_with_the_summary_and_opens_no_store()
    {
        _dir.Write("candor.yaml", $$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: http, target: "{{Url("/ok")}}", conditions: [ "status == 200", "body contains Welcome" ] }
              - { id: api, component: web, type: http, target: "{{Url("/json")}}", conditions: [ "json $.status == ok" ] }

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"(?m)^home +http +up +\d", output);
        Assert.Matches(@"(?m)^api +http +up +\d", output);
        Assert.Matches(@"(?m)^2 passed, 0 failed, 0 degraded in \d+\.\ds$", output);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "data")));
    }

    [Fact]
    public async Task A_failing_monitor_makes_it_exit_1_and_shows_the_failed_condition_with_its_value()
    {
        _dir.Write("candor.yaml", $$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: http, target: "{{Url("/ok")}}" }
              - { id: checkout, component: web, type: http, target: "{{Url("/status/500")}}", conditions: [ "status == 200" ] }

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml");

        Assert.Equal(1, exitCode);
        Assert.Matches(@"(?m)^checkout +http +down +\S+ +status \(500\) == 200$", output);
        Assert.Matches(@"(?m)^1 passed, 1 failed, 0 degraded in ", output);
    }

    [Fact]
    public async Task A_degraded_monitor_passes_but_is_shown_and_a_heartbeat_is_skipped_with_the_reason()
    {
        _dir.Write("candor.yaml", $$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: slow, component: web, type: http, target: "{{Url("/slow?delay=200")}}", degraded_when: [ "response_time > 100ms" ] }
              - { id: nightly, component: web, type: heartbeat, every: 1d }

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"(?m)^slow +http +degraded +\S+ +response_time \([\d.]+m?s\) > 100ms$", output);
        Assert.Matches(@"(?m)^nightly +heartbeat +skipped +- +a heartbeat waits for its job to ping", output);
        Assert.Matches(@"(?m)^0 passed, 0 failed, 1 degraded, 1 skipped in ", output);
    }

    [Fact]
    public async Task A_bad_config_makes_it_exit_2_with_file_line_and_column()
    {
        _dir.Write("candor.yaml", $$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - id: home
                component: web
                type: http
                target: "{{Url("/ok")}}"
                timeout: 30x

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml");

        Assert.Equal(2, exitCode);
        Assert.Contains("candor.yaml:7:14: '30x' is not a duration: use 30s, 5m, 2h, 14d", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_runs_the_monitors_named_and_refuses_a_name_that_is_not_there()
    {
        _dir.Write("candor.yaml", $$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: http, target: "{{Url("/ok")}}" }
              - { id: api, component: web, type: http, target: "{{Url("/json")}}" }
              - { id: checkout, component: web, type: http, target: "{{Url("/status/500")}}" }

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml", "--only", "home,api");
        var (typoCode, typo) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml", "--only", "hone");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("checkout", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^2 passed, 0 failed, 0 degraded in ", output);
        Assert.Equal(2, typoCode);
        Assert.Contains("--only names 'hone', which is not a monitor of candor.yaml — did you mean 'home'?", typo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_gives_a_variable_its_value_so_one_config_can_point_at_staging()
    {
        _dir.Write("candor.yaml", """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: health, component: web, type: http, target: "${CANDOR_TEST_BASE_URL}/ok", conditions: [ "status == 200" ] }

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(
            _dir.Path, "test", "--config", "candor.yaml", "--set", $"CANDOR_TEST_BASE_URL=http://127.0.0.1:{target.HttpPort}");
        var (unsetCode, unset) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"(?m)^health +http +up ", output);
        Assert.Equal(2, unsetCode);
        Assert.Contains("candor.yaml:3:", unset, StringComparison.Ordinal);
        Assert.Contains("CANDOR_TEST_BASE_URL", unset, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Junit_writes_one_suite_with_a_case_per_monitor_and_the_failure_message()
    {
        _dir.Write("candor.yaml", $$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: home, component: web, type: http, target: "{{Url("/ok")}}" }
              - { id: checkout, component: web, type: http, target: "{{Url("/status/500")}}", conditions: [ "status == 200" ] }
              - { id: slow, component: web, type: http, target: "{{Url("/slow?delay=200")}}", degraded_when: [ "response_time > 100ms" ] }
              - { id: nightly, component: web, type: heartbeat, every: 1d }

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml", "--junit", "out/junit.xml");
        Assert.Equal(2, exitCode);
        Assert.Contains("cannot write out/junit.xml", output, StringComparison.Ordinal);

        (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "test", "--config", "candor.yaml", "--junit", "junit.xml");
        Assert.True(exitCode == 1, output);

        var suite = XDocument.Load(Path.Combine(_dir.Path, "junit.xml")).Root!;
        Assert.Equal("testsuite", suite.Name.LocalName);
        Assert.Equal(("4", "1", "1"), ((string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!, (string)suite.Attribute("skipped")!));
        Assert.True(double.Parse((string)suite.Attribute("time")!, CultureInfo.InvariantCulture) > 0);
        var cases = suite.Elements("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        Assert.Equal(["home", "checkout", "slow", "nightly"], cases.Keys);
        Assert.Empty(cases["home"].Elements());
        var failure = Assert.Single(cases["checkout"].Elements("failure"));
        Assert.Equal("status (500) == 200", (string)failure.Attribute("message")!);
        Assert.Equal("status", (string)failure.Attribute("type")!);
        Assert.Equal("status (500) == 200", failure.Value);
        Assert.Equal("web.http", (string)cases["checkout"].Attribute("classname")!);
        Assert.Empty(cases["slow"].Elements("failure"));
        Assert.StartsWith("degraded: response_time", cases["slow"].Element("system-out")!.Value, StringComparison.Ordinal);
        Assert.StartsWith("a heartbeat waits", (string)cases["nightly"].Element("skipped")!.Attribute("message")!, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
