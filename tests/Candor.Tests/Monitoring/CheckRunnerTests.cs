using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Conditions;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Candor.Tests.Monitoring;

public class CheckRunnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static MonitorConfig Monitor(string[] conditions, string[]? degradedWhen = null) => new()
    {
        Id = "web",
        Type = "scripted",
        Conditions = [.. conditions.Select(ConditionParser.Parse)],
        DegradedWhen = [.. (degradedWhen ?? []).Select(ConditionParser.Parse)],
    };

    private static Observation Http(long status, int milliseconds = 20, string body = "Welcome") => new()
    {
        Facts = new Dictionary<string, object> { ["status"] = status, ["response_time"] = TimeSpan.FromMilliseconds(milliseconds) },
        ResponseTime = TimeSpan.FromMilliseconds(milliseconds),
        Body = body,
    };

    private static CheckResult Judge(MonitorConfig monitor, Observation observation) =>
        CheckRunner.Judge(monitor, monitor.Conditions, "local", Start, TimeSpan.FromMilliseconds(25), observation);

    [Fact]
    public void Every_failed_condition_is_named_with_its_resolved_value()
    {
        var result = Judge(Monitor(["status == 200", "body contains Welcome"]), Http(500, body: "Oops"));

        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal(ErrorKind.Status, result.ErrorKind);
        Assert.Equal("status (500) == 200; body (Oops) contains Welcome", result.Message);
    }

    [Fact]
    public void A_failed_assertion_that_is_not_about_the_status_is_an_assertion_error()
    {
        var result = Judge(Monitor(["status == 200", "body contains Welcome"]), Http(200, body: "Maintenance"));

        Assert.Equal(ErrorKind.Assertion, result.ErrorKind);
        Assert.Equal("body (Maintenance) contains Welcome", result.Message);
    }

    [Fact]
    public void A_degrading_condition_that_holds_degrades_a_passing_check()
    {
        var monitor = Monitor(["status == 200"], ["response_time > 800ms"]);

        var slow = Judge(monitor, Http(200, milliseconds: 1200));
        Assert.Equal(Outcome.Degraded, slow.Outcome);
        Assert.Null(slow.ErrorKind);
        Assert.Equal("response_time (1.2s) > 800ms", slow.Message);

        var fast = Judge(monitor, Http(200, milliseconds: 120));
        Assert.Equal(Outcome.Up, fast.Outcome);
        Assert.Null(fast.Message);
        Assert.Equal(TimeSpan.FromMilliseconds(120), fast.Duration);
    }

    [Fact]
    public void A_probe_failure_is_down_whatever_the_conditions_say()
    {
        var result = Judge(
            Monitor([]), Observation.Failed(ErrorKind.Connect, "TCP connect to 127.0.0.1:1 refused", TimeSpan.FromMilliseconds(1)));

        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal(ErrorKind.Connect, result.ErrorKind);
        Assert.Equal("TCP connect to 127.0.0.1:1 refused", result.Message);
    }

    [Fact]
    public void The_result_id_is_time_ordered_and_unique()
    {
        var first = Judge(Monitor([]), Http(200));
        var second = Judge(Monitor([]), Http(200));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(7, first.Id.Version);
    }

    [Fact]
    public async Task An_http_monitor_without_conditions_must_answer_below_400()
    {
        var script = new Script { Behaviour = (_, _) => Task.FromResult(Http(503)) };
        var services = new ServiceCollection().AddSingleton(script).BuildServiceProvider();
        var kind = ScriptedCheck.Kind with { DefaultConditions = CheckCatalog.Find("http")!.DefaultConditions };
        var runner = new CheckRunner(services, [kind], new ManualClock(Start), NullLogger<CheckRunner>.Instance);

        var result = await runner.RunAsync(Monitor([]), "local", CancellationToken.None);

        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal("status (503) < 400", result.Message);
    }
}
