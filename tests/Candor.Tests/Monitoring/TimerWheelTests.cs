using Candor.Monitoring.Scheduling;

namespace Candor.Tests.Monitoring;

public class TimerWheelTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TimerWheel<Item> _wheel = new(Start, TimeSpan.FromMilliseconds(1), 64);

    private List<string> TakeDue(DateTimeOffset now)
    {
        var due = new List<Item>();
        _wheel.TakeDue(now, due);
        return [.. due.Select(i => i.Name)];
    }

    [Fact]
    public void It_gives_an_entry_exactly_when_it_is_due_not_at_the_edge_of_its_bucket()
    {
        _wheel.Add(new Item("a"), Start.AddTicks(5_500));

        Assert.Empty(TakeDue(Start.AddTicks(5_499)));
        Assert.Equal(["a"], TakeDue(Start.AddTicks(5_500)));
        Assert.Equal(0, _wheel.Count);
    }

    [Fact]
    public void It_gives_the_due_entries_in_the_order_of_their_ticks()
    {
        _wheel.Add(new Item("late"), Start.AddMilliseconds(30));
        _wheel.Add(new Item("early"), Start.AddMilliseconds(3));
        _wheel.Add(new Item("not yet"), Start.AddMilliseconds(50));

        Assert.Equal(["early", "late"], TakeDue(Start.AddMilliseconds(40)));
        Assert.Equal(Start.AddMilliseconds(50), _wheel.NextDue());
    }

    [Fact]
    public void An_entry_further_ahead_than_one_turn_waits_through_the_turns_before_it()
    {
        _wheel.Add(new Item("far"), Start.AddMilliseconds(64 * 3 + 7));

        Assert.Empty(TakeDue(Start.AddMilliseconds(64 * 3)));
        Assert.Equal(["far"], TakeDue(Start.AddMilliseconds(64 * 3 + 7)));
    }

    [Fact]
    public void After_an_idle_stretch_of_many_turns_it_gives_everything_that_came_due()
    {
        _wheel.Add(new Item("a"), Start.AddMilliseconds(10));
        _wheel.Add(new Item("b"), Start.AddSeconds(5));
        _wheel.Add(new Item("c"), Start.AddSeconds(20));

        Assert.Equal(["a", "b"], TakeDue(Start.AddSeconds(10)).Order());
        Assert.Equal(["c"], TakeDue(Start.AddSeconds(20)));
    }

    [Fact]
    public void An_entry_added_again_moves_and_is_given_once()
    {
        var item = new Item("moved");
        _wheel.Add(item, Start.AddMilliseconds(40));
        _wheel.Add(item, Start.AddMilliseconds(2));

        Assert.Equal(1, _wheel.Count);
        Assert.Equal(["moved"], TakeDue(Start.AddMilliseconds(50)));
    }

    [Fact]
    public void An_entry_due_in_the_past_is_given_at_the_next_look()
    {
        Assert.Empty(TakeDue(Start.AddMilliseconds(20)));
        _wheel.Add(new Item("overdue"), Start.AddMilliseconds(5));

        Assert.Equal(Start.AddMilliseconds(5), _wheel.NextDue());
        Assert.Equal(["overdue"], TakeDue(Start.AddMilliseconds(20)));
    }

    [Fact]
    public void A_removed_entry_is_never_given()
    {
        var keep = new Item("keep");
        var drop = new Item("drop");
        _wheel.Add(keep, Start.AddMilliseconds(3));
        _wheel.Add(drop, Start.AddMilliseconds(3));
        _wheel.Remove(drop);

        Assert.False(drop.Queued);
        Assert.Equal(["keep"], TakeDue(Start.AddMilliseconds(3)));
        Assert.Null(_wheel.NextDue());
    }

    private sealed class Item(string name) : TimerWheel<Item>.Entry
    {
        public string Name { get; } = name;
    }
}
