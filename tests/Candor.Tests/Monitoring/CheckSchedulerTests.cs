using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Scheduling;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Candor.Tests.Monitoring;

public class CheckSchedulerTests
{
    private readonly ManualClock _clock = new();
    private readonly Script _script = new();
    private readonly CollectingSink _sink = new();

    private static MonitorConfig Monitor(string id, int intervalSeconds = 10, int timeoutSeconds = 5) => new()
    {
        Id = id,
        Component = "web",
        Type = "scripted",
        Interval = TimeSpan.FromSeconds(intervalSeconds),
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        Settings = new ScriptedSettings(),
    };

    private CheckScheduler Scheduler(params MonitorConfig[] monitors) => Scheduler(new SchedulerOptions(), monitors);

    private CheckScheduler Scheduler(SchedulerOptions options, params MonitorConfig[] monitors)
    {
        var services = new ServiceCollection().AddSingleton(_script).BuildServiceProvider();
        var runner = new CheckRunner(services, [ScriptedCheck.Kind], _clock, NullLogger<CheckRunner>.Instance);
        var config = new CandorConfig { Monitors = monitors };
        return new CheckScheduler(config, runner, _sink, options, _clock, NullLogger<CheckScheduler>.Instance);
    }

    private async Task AdvanceAsync(CheckScheduler scheduler, TimeSpan total)
    {
        for (var step = TimeSpan.Zero; step < total; step += TimeSpan.FromMilliseconds(500))
        {
            _clock.Advance(TimeSpan.FromMilliseconds(500));
            await scheduler.RunDueAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task It_runs_every_monitor_once_per_interval_on_its_own_slot()
    {
        var scheduler = Scheduler(Monitor("a"), Monitor("b"), Monitor("c", intervalSeconds: 30));
        await AdvanceAsync(scheduler, TimeSpan.FromSeconds(60));

        var runs = _script.Runs.ToList();
        Assert.Equal(6, runs.Count(r => r.Monitor == "a"));
        Assert.Equal(6, runs.Count(r => r.Monitor == "b"));
        Assert.Equal(2, runs.Count(r => r.Monitor == "c"));
        var a = runs.Where(r => r.Monitor == "a").Select(r => r.At).ToList();
        Assert.All(a.Zip(a.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(10), pair.Second - pair.First));
        Assert.Equal(14, _sink.Results.Count);
    }

    [Fact]
    public async Task It_never_runs_the_same_monitor_twice_at_once()
    {
        var release = new TaskCompletionSource<Observation>();
        _script.Behaviour = (_, _) => release.Task;
        var scheduler = Scheduler(Monitor("slow", intervalSeconds: 10, timeoutSeconds: 10));

        _clock.Advance(TimeSpan.FromSeconds(10));
        var first = scheduler.RunDueAsync(CancellationToken.None);
        await WaitUntil(() => _script.Runs.Count == 1);

        // Two more slots pass while the first run is still going: nothing else starts.
        _clock.Advance(TimeSpan.FromSeconds(9));
        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Single(_script.Runs);
        Assert.Null(scheduler.NextDue("slow", "local"));

        release.SetResult(new Observation());
        await first;
        Assert.Equal(1, _script.MaxInFlight);
        var next = scheduler.NextDue("slow", "local");
        Assert.NotNull(next);
        Assert.True(next > _clock.GetUtcNow());
    }

    [Fact]
    public async Task It_enforces_the_timeout_on_a_check_that_never_answers()
    {
        _script.Behaviour = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new Observation();
        };
        var scheduler = Scheduler(Monitor("hangs", intervalSeconds: 30, timeoutSeconds: 5));

        _clock.Advance(TimeSpan.FromSeconds(30));
        var run = scheduler.RunDueAsync(CancellationToken.None);
        await WaitUntil(() => !_script.Runs.IsEmpty);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await run;

        var result = Assert.Single(_sink.Results);
        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal(ErrorKind.Timeout, result.ErrorKind);
        Assert.Equal("timed out after 5s", result.Message);
    }

    [Fact]
    public async Task It_survives_a_check_that_throws()
    {
        _script.Behaviour = (monitor, _) => monitor.Id == "broken"
            ? throw new InvalidOperationException("boom")
            : Task.FromResult(new Observation());
        var scheduler = Scheduler(Monitor("broken"), Monitor("fine"));

        await AdvanceAsync(scheduler, TimeSpan.FromSeconds(30));

        var broken = _sink.Results.Where(r => r.MonitorId == "broken").ToList();
        Assert.Equal(3, broken.Count);
        Assert.All(broken, r => Assert.Equal(ErrorKind.Internal, r.ErrorKind));
        Assert.Contains("boom", broken[0].Message, StringComparison.Ordinal);
        Assert.Equal(3, _sink.Results.Count(r => r.MonitorId == "fine" && r.Outcome == Outcome.Up));
    }

    [Fact]
    public async Task A_requested_run_happens_now_and_the_beat_continues()
    {
        var scheduler = Scheduler(Monitor("beat", intervalSeconds: 60));
        _clock.Advance(TimeSpan.FromSeconds(1));
        scheduler.RequestRun("beat", "local");
        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Single(_script.Runs);

        await AdvanceAsync(scheduler, TimeSpan.FromSeconds(120));
        Assert.Equal(3, _script.Runs.Count);
    }

    [Fact]
    public async Task Runs_beyond_the_limit_wait_for_a_free_place_and_start_in_the_order_they_came_due()
    {
        var release = new TaskCompletionSource<Observation>();
        _script.Behaviour = (_, _) => release.Task;
        var monitors = Enumerable.Range(0, 5).Select(i => Monitor($"m{i}", intervalSeconds: 60, timeoutSeconds: 30)).ToArray();
        var scheduler = Scheduler(new SchedulerOptions { MaxConcurrentChecks = 2 }, monitors);

        _clock.Advance(TimeSpan.FromSeconds(60));
        var first = scheduler.RunDueAsync(CancellationToken.None);
        await WaitUntil(() => _script.Runs.Count == 2);
        Assert.All(monitors, m => Assert.Null(scheduler.NextDue(m.Id, "local")));

        _script.Behaviour = (_, _) => Task.FromResult(new Observation());
        release.SetResult(new Observation());
        await first;

        // Two places free up: two more start, then the last one.
        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Equal(4, _script.Runs.Count);
        await scheduler.RunDueAsync(CancellationToken.None);

        Assert.Equal(5, _script.Runs.Count);
        Assert.Equal(2, _script.MaxInFlight);
        var dueOrder = monitors.OrderBy(m => Slots.PhaseOf(m.Id, "local", m.Interval)).Select(m => m.Id);
        Assert.Equal(dueOrder, _script.Runs.Select(r => r.Monitor));
    }

    [Fact]
    public async Task Running_as_a_service_it_follows_the_injected_clock()
    {
        using var scheduler = Scheduler(Monitor("a", intervalSeconds: 10), Monitor("b", intervalSeconds: 10));
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            for (var second = 0; second < 30; second++)
            {
                _clock.Advance(TimeSpan.FromSeconds(1));
                await WaitUntil(() => scheduler.NextDue("a", "local") > _clock.GetUtcNow() && scheduler.NextDue("b", "local") > _clock.GetUtcNow());
            }

            Assert.Equal(3, _script.Runs.Count(r => r.Monitor == "a"));
            Assert.Equal(3, _script.Runs.Count(r => r.Monitor == "b"));
            Assert.Equal(6, _sink.Results.Count);
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Slots_that_passed_before_it_started_are_not_run_at_once_each_waits_for_its_next()
    {
        var interval = TimeSpan.FromSeconds(10);
        using var scheduler = Scheduler(Monitor("a", intervalSeconds: 10), Monitor("b", intervalSeconds: 10));
        var made = _clock.GetUtcNow();

        // The host takes its time making the other services.
        _clock.Advance(TimeSpan.FromSeconds(25));
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            var started = _clock.GetUtcNow();
            Assert.All(["a", "b"], id =>
            {
                var due = scheduler.NextDue(id, "local");
                Assert.NotNull(due);
                Assert.InRange(due.Value, started, started + interval);

                // Still on its own slots.
                var first = Slots.AtOrAfter(made, interval, Slots.PhaseOf(id, "local", interval));
                Assert.Equal(0, (due.Value - first).Ticks % interval.Ticks);
            });
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
