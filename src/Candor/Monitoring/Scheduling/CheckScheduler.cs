using System.Collections.Concurrent;
using Candor.Configuration;

namespace Candor.Monitoring.Scheduling;

public sealed record SchedulerOptions
{
    /// <summary>Checks in flight at once; the rest wait for a free place rather than swamping the machine.</summary>
    public int MaxConcurrentChecks { get; init; } = 512;
}

/// <summary>
/// Runs every monitor at each of its locations once per interval, on its slot. One queue ordered by due time
/// and one timer (not one timer per monitor) drive it all. A monitor-location is never run twice at once: its
/// next slot is queued only when its run has finished. A finished run only notes that it finished, without
/// taking the lock; the queue takes the notes in before it is next read, so thousands of runs finishing each
/// second do not queue up on one lock.
/// </summary>
public sealed class CheckScheduler : BackgroundService
{
    private readonly CheckRunner _runner;
    private readonly IResultSink _sink;
    private readonly TimeProvider _clock;
    private readonly ILogger<CheckScheduler> _logger;
    private readonly SemaphoreSlim _concurrency;
    private readonly Lock _gate = new();
    private readonly PriorityQueue<(Slot Slot, int Generation), DateTimeOffset> _queue = new();
    private readonly Dictionary<(string Monitor, string Location), Slot> _slots = [];
    private readonly Dictionary<Slot, Task> _running = [];
    private readonly ConcurrentQueue<(Slot Slot, DateTimeOffset Due, DateTimeOffset Finished)> _finished = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// When the loop wakes by itself, in UTC ticks: the slot at the head of the queue when it went to sleep, or
    /// zero while it is awake (it reads the queue again before it sleeps). A finished run wakes it only for a slot
    /// due before that; thousands of runs finishing each second would otherwise wake it thousands of times.
    /// </summary>
    private long _sleepingUntil;

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
        _concurrency = new SemaphoreSlim(options.MaxConcurrentChecks);
        var now = clock.GetUtcNow();
        foreach (var monitor in config.Monitors)
        {
            // Remote locations are run by their agents; this server runs what is local to it.
            foreach (var location in monitor.Locations.Where(l => l == LocationConfig.Local))
            {
                var slot = new Slot(monitor, location, Slots.PhaseOf(monitor.Id, location, monitor.Interval));
                _slots[(monitor.Id, location)] = slot;
                Enqueue(slot, Slots.AtOrAfter(now, monitor.Interval, slot.Phase));
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
                Enqueue(slot, _clock.GetUtcNow());
            }
        }

        // Also when it is running: its run may have finished without seeing the request, and must not wait for the
        // loop to wake on its own.
        Volatile.Read(ref _wake).TrySetResult();
    }

    /// <summary>Starts every run that is due now and returns a task that completes when they have finished.</summary>
    internal Task RunDueAsync(CancellationToken cancellationToken) => Task.WhenAll(LaunchDue(cancellationToken));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                LaunchDue(stoppingToken);
                await WaitForNextAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Task[] running;
        lock (_gate)
        {
            TakeFinished();
            running = [.. _running.Values];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private List<Task> LaunchDue(CancellationToken cancellationToken)
    {
        var launched = new List<Task>();
        lock (_gate)
        {
            Volatile.Write(ref _sleepingUntil, 0);
            TakeFinished();
            var now = _clock.GetUtcNow();
            while (_queue.TryPeek(out var entry, out var due) && due <= now)
            {
                _queue.Dequeue();
                if (entry.Generation != entry.Slot.Generation || entry.Slot.Running)
                {
                    continue;
                }

                entry.Slot.Running = true;
                var run = RunAsync(entry.Slot, due, cancellationToken);
                _running[entry.Slot] = run;
                launched.Add(run);
            }
        }

        return launched;
    }

    private async Task RunAsync(Slot slot, DateTimeOffset due, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await _runner.RunAsync(slot.Monitor, slot.Location, cancellationToken).ConfigureAwait(false);
                await _sink.EnqueueAsync(result, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _concurrency.Release();
            }
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
            var finished = _clock.GetUtcNow();
            _finished.Enqueue((slot, due, finished));
            if (Slots.Next(due, finished, slot.Monitor.Interval, slot.Phase).UtcTicks < Volatile.Read(ref _sleepingUntil))
            {
                Volatile.Read(ref _wake).TrySetResult();
            }
        }
    }

    /// <summary>When the slot at the head of the queue is due, in UTC ticks; the greatest value when none is queued.</summary>
    private long HeadTicks() => _queue.TryPeek(out _, out var due) ? due.UtcTicks : long.MaxValue;

    /// <summary>Queues the next slot of every run that finished since the last look. Called under the lock.</summary>
    private void TakeFinished()
    {
        while (_finished.TryDequeue(out var run))
        {
            var slot = run.Slot;
            slot.Running = false;
            _running.Remove(slot);
            Enqueue(slot, slot.RunAgain ? run.Finished : Slots.Next(run.Due, run.Finished, slot.Monitor.Interval, slot.Phase));
            slot.RunAgain = false;
        }
    }

    private void Enqueue(Slot slot, DateTimeOffset due)
    {
        slot.Generation++;
        slot.Due = due;
        _queue.Enqueue((slot, slot.Generation), due);
    }

    private async Task WaitForNextAsync(CancellationToken stoppingToken)
    {
        TimeSpan wait;
        Task wake;
        lock (_gate)
        {
            if (_wake.Task.IsCompleted)
            {
                Volatile.Write(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            wake = _wake.Task;
            TakeFinished();
            Interlocked.Exchange(ref _sleepingUntil, HeadTicks());

            // A run that finished after the look above, and read the earlier value, did not wake the loop: it is
            // taken in now. One that reads the new value wakes it if it must.
            if (!_finished.IsEmpty)
            {
                TakeFinished();
                Interlocked.Exchange(ref _sleepingUntil, HeadTicks());
            }

            var until = Volatile.Read(ref _sleepingUntil);
            wait = until == long.MaxValue
                ? Timeout.InfiniteTimeSpan
                : TimeSpan.FromTicks(Math.Max(0, until - _clock.GetUtcNow().UtcTicks));
        }

        if (wait == TimeSpan.Zero)
        {
            return;
        }

        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(wait, _clock, delayCancellation.Token);
        await Task.WhenAny(delay, wake).ConfigureAwait(false);
        await delayCancellation.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    private sealed class Slot(MonitorConfig monitor, string location, TimeSpan phase)
    {
        public MonitorConfig Monitor { get; } = monitor;

        public string Location { get; } = location;

        public TimeSpan Phase { get; } = phase;

        public int Generation { get; set; }

        public DateTimeOffset Due { get; set; }

        public bool Running { get; set; }

        public bool RunAgain { get; set; }
    }
}
