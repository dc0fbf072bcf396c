using System.Collections.Concurrent;
using Candor.Configuration;
using Candor.Monitoring;

namespace Candor.Tests.Fixtures;

public sealed record ScriptedSettings;

/// <summary>
/// A check whose behaviour a test sets, for testing what surrounds checks (scheduling, timeouts, state) on a
/// manual clock. Real check types are tested against real servers in their own tests.
/// </summary>
public sealed class ScriptedCheck(Script script) : ICheck
{
    public static readonly CheckKind Kind = CheckKind.Of<ScriptedCheck, ScriptedSettings>("scripted", "response_time");

    public Task<Observation> RunAsync(MonitorConfig monitor, CheckContext context, CancellationToken cancellationToken) =>
        script.RunAsync(monitor, context, cancellationToken);
}

public sealed class Script
{
    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentQueue<(string Monitor, DateTimeOffset At)> Runs { get; } = new();

    public Func<MonitorConfig, CancellationToken, Task<Observation>> Behaviour { get; set; } =
        (_, _) => Task.FromResult(new Observation());

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task<Observation> RunAsync(MonitorConfig monitor, CheckContext context, CancellationToken cancellationToken)
    {
        Runs.Enqueue((monitor.Id, context.Clock.GetUtcNow()));
        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, now);
        try
        {
            return await Behaviour(monitor, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

public sealed class CollectingSink : IResultSink
{
    public ConcurrentQueue<CheckResult> Results { get; } = new();

    public ValueTask EnqueueAsync(CheckResult result, CancellationToken cancellationToken)
    {
        Results.Enqueue(result);
        return ValueTask.CompletedTask;
    }
}
