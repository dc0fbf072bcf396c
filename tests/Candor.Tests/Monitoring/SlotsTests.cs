using Candor.Monitoring.Scheduling;

namespace Candor.Tests.Monitoring;

public class SlotsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public void Ten_thousand_monitors_at_30s_spread_over_the_interval()
    {
        var interval = TimeSpan.FromSeconds(30);
        var perSecond = new int[30];
        for (var i = 0; i < 10_000; i++)
        {
            var first = Slots.AtOrAfter(Start, interval, Slots.PhaseOf($"monitor-{i}", "local", interval));
            Assert.InRange(first - Start, TimeSpan.Zero, interval);
            perSecond[(int)((first - Start).TotalSeconds % 30)]++;
        }

        // An even spread is 333 a second; no second carries even 1.3 times that.
        Assert.All(perSecond, count => Assert.InRange(count, 250, 433));
    }

    [Fact]
    public void The_same_monitor_keeps_its_beat_across_restarts()
    {
        var interval = TimeSpan.FromMinutes(1);
        var phase = Slots.PhaseOf("web-home", "local", interval);
        var first = Slots.AtOrAfter(Start, interval, phase);
        var afterRestart = Slots.AtOrAfter(Start.AddHours(5).AddSeconds(7), interval, phase);
        Assert.Equal(0, (afterRestart - first).Ticks % interval.Ticks);
        Assert.Equal(phase, Slots.PhaseOf("web-home", "local", interval));
    }

    [Fact]
    public void A_run_that_overran_its_next_slot_skips_to_the_first_slot_ahead()
    {
        var interval = TimeSpan.FromSeconds(10);
        var phase = TimeSpan.FromSeconds(3);
        var due = Slots.AtOrAfter(Start, interval, phase);
        Assert.Equal(due + interval, Slots.Next(due, due.AddSeconds(2), interval, phase));
        Assert.Equal(due + (3 * interval), Slots.Next(due, due.AddSeconds(25), interval, phase));
    }

    [Fact]
    public void A_time_exactly_on_a_slot_is_that_slot()
    {
        var interval = TimeSpan.FromSeconds(10);
        var slot = Slots.AtOrAfter(Start, interval, TimeSpan.FromSeconds(4));
        Assert.Equal(slot, Slots.AtOrAfter(slot, interval, TimeSpan.FromSeconds(4)));
    }
}
