using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.State;

namespace Candor.Tests.Monitoring;

public class StatusRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly MonitorConfig Monitor = new()
    {
        Id = "web",
        Interval = TimeSpan.FromSeconds(30),
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static LocationState At(string location, MonitorStatus status, int secondsAgo = 5) =>
        new("web", location, status, Now.AddHours(-1), 0, null, Now.AddSeconds(-secondsAgo), null);

    [Theory]
    [InlineData("down,down,up", MonitorStatus.Down)]
    [InlineData("down,up,up", MonitorStatus.Degraded)]
    [InlineData("down,down", MonitorStatus.Down)]
    [InlineData("down,up", MonitorStatus.Degraded)]
    [InlineData("up,up,up", MonitorStatus.Up)]
    [InlineData("up,degraded,up", MonitorStatus.Degraded)]
    [InlineData("unknown,unknown", MonitorStatus.Unknown)]
    [InlineData("down", MonitorStatus.Down)]
    public void A_majority_of_reporting_locations_decides_down(string locations, MonitorStatus expected)
    {
        var states = locations.Split(',').Select((s, i) => At($"l{i}", Enum.Parse<MonitorStatus>(s, true))).ToArray();
        Assert.Equal(expected, StatusRules.MonitorStatusOf(Monitor, states, Quorum.Majority, Now));
    }

    [Fact]
    public void A_silent_location_counts_neither_as_failing_nor_as_healthy()
    {
        // us-east saw it down, but has not reported for longer than two intervals and a timeout.
        var states = new[] { At("eu-west", MonitorStatus.Down), At("us-east", MonitorStatus.Up, secondsAgo: 71) };
        Assert.True(StatusRules.IsSilent(states[1], Monitor, Now));
        Assert.Equal(MonitorStatus.Down, StatusRules.MonitorStatusOf(Monitor, states, Quorum.Majority, Now));

        var allSilent = new[] { At("eu-west", MonitorStatus.Up, secondsAgo: 300) };
        Assert.Equal(MonitorStatus.Unknown, StatusRules.MonitorStatusOf(Monitor, allSilent, Quorum.Majority, Now));
    }

    [Theory]
    [InlineData("down,down,up", MonitorStatus.Down)]
    [InlineData("down,up,up", MonitorStatus.Degraded)]
    [InlineData("up,up", MonitorStatus.Up)]
    [InlineData("unknown", MonitorStatus.Unknown)]
    public void A_monitor_whose_every_location_is_silent_counts_as_what_they_last_said(string locations, MonitorStatus expected)
    {
        var states = locations.Split(',').Select((s, i) => At($"l{i}", Enum.Parse<MonitorStatus>(s, true), secondsAgo: 300 + i)).ToArray();

        Assert.Equal(MonitorStatus.Unknown, StatusRules.MonitorStatusOf(Monitor, states, Quorum.Majority, Now));
        Assert.Equal(expected, StatusRules.VerdictOf(Monitor, states, Quorum.Majority, Now));
    }

    [Fact]
    public void A_monitor_with_a_location_reporting_counts_as_what_the_reporting_ones_say()
    {
        // eu-west and us-east saw it down and fell silent; ap-south, still reporting, sees it up.
        var states = new[]
        {
            At("eu-west", MonitorStatus.Down, secondsAgo: 300), At("us-east", MonitorStatus.Down, secondsAgo: 300), At("ap-south", MonitorStatus.Up),
        };

        Assert.Equal(MonitorStatus.Up, StatusRules.VerdictOf(Monitor, states, Quorum.Majority, Now));
    }

    [Fact]
    public void A_monitor_never_checked_has_no_verdict()
    {
        var never = new LocationState("web", "eu-west", MonitorStatus.Unknown, Now, 0, null, null, null);

        Assert.Equal(MonitorStatus.Unknown, StatusRules.VerdictOf(Monitor, [never], Quorum.Majority, Now));
    }

    [Fact]
    public void A_counted_quorum_needs_that_many_locations_down()
    {
        var states = new[] { At("a", MonitorStatus.Down), At("b", MonitorStatus.Up), At("c", MonitorStatus.Up) };
        Assert.Equal(MonitorStatus.Down, StatusRules.MonitorStatusOf(Monitor, states, new Quorum(1), Now));
        Assert.Equal(MonitorStatus.Degraded, StatusRules.MonitorStatusOf(Monitor, states, new Quorum(2), Now));
    }

    [Theory]
    [InlineData("", ComponentStatus.Operational)]
    [InlineData("up,up", ComponentStatus.Operational)]
    [InlineData("unknown", ComponentStatus.Operational)]
    [InlineData("up,degraded", ComponentStatus.DegradedPerformance)]
    [InlineData("up,down", ComponentStatus.PartialOutage)]
    [InlineData("degraded,down", ComponentStatus.PartialOutage)]
    [InlineData("down,down", ComponentStatus.MajorOutage)]
    [InlineData("down,unknown", ComponentStatus.MajorOutage)]
    public void A_component_follows_its_monitors(string monitors, ComponentStatus expected)
    {
        var statuses = monitors.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Enum.Parse<MonitorStatus>(s, true));
        Assert.Equal(expected, StatusRules.ComponentStatusOf(StatusTally.Of(statuses)));
    }

    [Fact]
    public void A_tally_kept_through_changes_agrees_with_counting_afresh()
    {
        MonitorStatus[] monitors = [MonitorStatus.Down, MonitorStatus.Down, MonitorStatus.Unknown];
        var tally = StatusTally.Of(monitors);
        (int Monitor, MonitorStatus To)[] changes =
        [
            (2, MonitorStatus.Degraded), (0, MonitorStatus.Up), (1, MonitorStatus.Unknown), (2, MonitorStatus.Down), (0, MonitorStatus.Down),
        ];
        ComponentStatus[] expected =
        [
            ComponentStatus.PartialOutage, ComponentStatus.PartialOutage, ComponentStatus.DegradedPerformance,
            ComponentStatus.PartialOutage, ComponentStatus.MajorOutage,
        ];

        for (var i = 0; i < changes.Length; i++)
        {
            var (monitor, to) = changes[i];
            tally.Remove(monitors[monitor]);
            tally.Add(to);
            monitors[monitor] = to;
            Assert.Equal(expected[i], StatusRules.ComponentStatusOf(tally));
            Assert.Equal(StatusRules.ComponentStatusOf(StatusTally.Of(monitors)), StatusRules.ComponentStatusOf(tally));
        }
    }
}
