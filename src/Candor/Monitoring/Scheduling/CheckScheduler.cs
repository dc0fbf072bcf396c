using System.Collections.Concurrent;
using Candor.Configuration;

namespace Candor.Monitoring.Scheduling;

public sealed record SchedulerOptions
{
    /// <summary>Checks in flight at once; the rest wait for a free place rather than swamping the machine.</summary>
    public int MaxConcurrentChecks { get; init; } = 512;
}

/// <summary>
/// Runs every monitor at each of its locations once per interval, on its slot. A timer wheel (not one timer per
/// monitor, nor one ordered queue) holds the next slot of each: queueing one and taking the due ones cost the same
/// for ten monitors or a million. One thread of its own reads the wheel and starts what is due, so that a start never
/// waits in the thread pool's queue behind the work of the checks already running, however long that queue grows.
/// A monitor-location is never run twice at once: its next slot is queued only when its run has finished. A finished
/// run only notes that it finished, without taking the lock; the wheel takes the notes in before it is next read.
/// </summary>
public sealed class CheckScheduler : BackgroundService
{
    /// <summary>What one bucket of the wheel covers; a run still starts on its slot, not on the bucket's edge.</summary>
    private static readonly TimeSpan WheelTick = TimeSpan.FromMilliseconds(1);

    /// <summary>About a minute per turn: a monitor checked more often than that is never passed over unread.</summary>
    private const int WheelBuckets = 1 << 16;

    private readonly CheckRunner _runner;
    private readonly IResultSink _sink;
    private readonly TimeProvider _clock;
    private readonly ILogger<CheckScheduler> _logger;
    private readonly int _maxInFlight;
    private readonly Lock _gate = new();
    private readonly TimerWheel<Slot> _wheel;
    private readonly Dictionary<(string Monitor, string Location), Slot> _slots = [];

    /// <summary>Slots that came due while every place was taken, in the order they came due.</summary>
    private readonly Queue<Slot> _waiting = new();
    private readonly List<Slot> _due = [];
    private readonly ConcurrentQueue<(Slot Slot, DateTimeOffset Due, DateTimeOffset Finished)> _finished = new();
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);

    /// <summary>Wakes the loop on an injected clock that is not the machine's; null on the machine's own.</summary>
    private readonly ITimer? _wakeTimer;

    /// <summary>Runs started and not yet finished; changed without the lock by the runs as they finish.</summary>
    private int _inFlight;

    /// <summary>
    /// When the loop wakes by itself, in UTC ticks, or zero while it is awake (it reads the wheel again before it
    /// sleeps). A finished run wakes it only for a slot due before that; thousands of runs finishing each second
    /// would otherwise wake it thousands of times.
    /// </summary>
    private long _sleepingUntil;

    /// <summary>Set once the loop has stopped: completed by the last run to finish.</summary>
    private TaskCompletionSource? _drained;

    public CheckScheduler(
        CandorConfig config,
        CheckRunner runner,
        IResultSink sink,
        SchedulerOptions options,
        TimeProvider clock,
        ILogger<CheckScheduler> logger)
    {
        _runner = runner;
        _sink = sink;
        _clock = clock;
        _logger = logger;
        _maxInFlight = options.MaxConcurrentChecks;

        // The loop's own wait follows the machine's clock alone; a clock that is not the machine's wakes it by a timer.
        _wakeTimer = clock == TimeProvider.System
            ? null
            : clock.CreateTimer(_ => _wake.Set(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var now = clock.GetUtcNow();
        _wheel = new TimerWheel<Slot>(now, WheelTick, WheelBuckets);
        foreach (var monitor in config.Monitors)
        {
            // Remote locations are run by their agents; this server runs what is local to it.
            foreach (var location in monitor.Locations.Where(l => l == LocationConfig.Local))
            {
                var slot = new Slot(monitor, location, Slots.PhaseOf(monitor.Id, location, monitor.Interval));
                _slots[(monitor.Id, location)] = slot;
                _wheel.Add(slot, Slots.AtOrAfter(now, monitor.Interval, slot.Phase));
            }
        }
    }

    /// <summary>When the monitor-location is next due; null when it is running or not scheduled here.</summary>
    public DateTimeOffset? NextDue(string monitorId, string locationId)
    {
        lock (_gate)
        {
            TakeFinished();
            return _slots.TryGetValue((monitorId, locationId), out var slot) && !slot.Running ? slot.Due : null;
        }
    }

    /// <summary>
    /// Runs a monitor-location as soon as possible (a heartbeat ping arrived). If it is running now, it runs
    /// again right after, so the new evidence is never missed.
    /// </summary>
    public void RequestRun(string monitorId, string locationId)
    {
        lock (_gate)
        {
            TakeFinished();
            if (!_slots.TryGetValue((monitorId, locationId), out var slot))
            {
                return;
            }

            if (slot.Running)
            {
                slot.RunAgain = true;
            }
            else
            {
                _wheel.Add(slot, _clock.GetUtcNow());
            }
        }

        // Also when it is running: its run may have finished without seeing the request, and must not wait for the
        // loop to wake on its own.
        _wake.Set();
    }

    /// <summary>Starts every run that is due now and returns a task that completes when they have finished.</summary>
    internal Task RunDueAsync(CancellationToken cancellationToken) => Task.WhenAll(LaunchDue(cancellationToken));

    public override void Dispose()
    {
        _wakeTimer?.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // The host makes every service before it starts any, and the slots were queued then: with a large config that
        // can be seconds ago, and starting with the slots of those seconds all due at once would make every check late
        // for as long as the backlog takes to clear. Each waits for its next slot instead, within one interval.
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            foreach (var slot in _slots.Values.Where(s => !s.Running && s.Due < now))
            {
                _wheel.Add(slot, Slots.AtOrAfter(now, slot.Monitor.Interval, slot.Phase));
            }
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Loop(stoppingToken);
                loop.SetResult();
            }
            catch (Exception exception)
            {
                loop.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = "Candor check scheduler",
        };
        thread.Start();
        await loop.Task.ConfigureAwait(false);

        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (Volatile.Read(ref _inFlight) == 0)
        {
            drained.TrySetResult();
        }

        await drained.Task.ConfigureAwait(false);
    }

    private void Loop(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            _wake.Reset();
            LaunchDue(stoppingToken);
            var until = SleepUntil();
            var now = _clock.GetUtcNow();
            if (until <= now.UtcTicks)
            {
                continue;
            }

            var wait = until == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(until - now.UtcTicks);
            if (_wakeTimer is not null)
            {
                _wakeTimer.Change(wait, Timeout.InfiniteTimeSpan);

                // The timer counts from the clock as it reads it when set: had the clock moved on since it was read
                // above, the timer would ring that much after the slot.
                if (_clock.GetUtcNow() != now)
                {
                    continue;
                }
            }

            try
            {
                // Whole milliseconds, rounded up: waking a little early would only find nothing due and sleep again.
                _wake.Wait(wait == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Ceiling(wait.TotalMilliseconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Starts the runs that are due, as far as there are free places; returns them.</summary>
    private List<Task> LaunchDue(CancellationToken cancellationToken)
    {
        var starting = new List<Slot>();
        lock (_gate)
        {
            Volatile.Write(ref _sleepingUntil, 0);
            TakeFinished();
            _wheel.TakeDue(_clock.GetUtcNow(), _due);
            foreach (var slot in _due)
            {
                slot.Running = true;
                _waiting.Enqueue(slot);
            }

            _due.Clear();
            while (_waiting.Count > 0 && Volatile.Read(ref _inFlight) < _maxInFlight)
            {
                starting.Add(_waiting.Dequeue());
                Interlocked.Increment(ref _inFlight);
            }
        }

        // Outside the lock: each run goes as far as its first wait (its connection being opened, for most) here,
        // so its start time is when it really started.
        var launched = new List<Task>(starting.Count);
        foreach (var slot in starting)
        {
            launched.Add(RunAsync(slot, slot.Due, cancellationToken));
        }

        return launched;
    }

    /// <summary>
    /// Until when the loop may sleep, in UTC ticks: the next slot, <see cref="long.MaxValue"/> for no slot, or zero
    /// (not at all) when runs wait for a free place.
    /// </summary>
    private long SleepUntil()
    {
        lock (_gate)
        {
            TakeFinished();
            if (_waiting.Count > 0 && Volatile.Read(ref _inFlight) < _maxInFlight)
            {
                return 0;
            }

            // While runs wait for a place, any run that finishes wakes the loop to start the next.
            var until = _waiting.Count > 0 ? long.MaxValue : _wheel.NextDue()?.UtcTicks ?? long.MaxValue;
            Interlocked.Exchange(ref _sleepingUntil, until);

            // A run that finished after the look above, and read the earlier value, did not wake the loop.
            return _finished.IsEmpty ? until : 0;
        }
    }

    private async Task RunAsync(Slot slot, DateTimeOffset due, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _runner.RunAsync(slot.Monitor, slot.Location, cancellationToken).ConfigureAwait(false);
            await _sink.EnqueueAsync(result, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a run cut short has no result, and the next start runs it on its slot again.
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "Scheduling {Monitor} at {Location} failed", slot.Monitor.Id, slot.Location);
        }
        finally
        {
            // The place is given back before the note is left, so that a loop which finds no note also finds the
            // place free; one that looked before both is woken below.
            var left = Interlocked.Decrement(ref _inFlight);
            var finished = _clock.GetUtcNow();
            _finished.Enqueue((slot, due, finished));
            if (Slots.Next(due, finished, slot.Monitor.Interval, slot.Phase).UtcTicks < Volatile.Read(ref _sleepingUntil))
            {
                _wake.Set();
            }

            if (left == 0 && Volatile.Read(ref _drained) is { } drained)
            {
                drained.TrySetResult();
            }
        }
    }

    /// <summary>Queues the next slot of every run that finished since the last look. Called under the lock.</summary>
    private void TakeFinished()
    {
        while (_finished.TryDequeue(out var run))
        {
            var slot = run.Slot;
            slot.Running = false;
            _wheel.Add(slot, slot.RunAgain ? run.Finished : Slots.Next(run.Due, run.Finished, slot.Monitor.Interval, slot.Phase));
            slot.RunAgain = false;
        }
    }

    private sealed class Slot(MonitorConfig monitor, string location, TimeSpan phase) : TimerWheel<Slot>.Entry
    {
        public MonitorConfig Monitor { get; } = monitor;

        public string Location { get; } = location;

        public TimeSpan Phase { get; } = phase;

        /// <summary>Due and waiting for a free place, or running.</summary>
        public bool Running { get; set; }

        public bool RunAgain { get; set; }
    }
}
