namespace Candor.Bench.Suite;

/// <summary>
/// How big and how long every benchmark is. <see cref="Full"/> is what the issue asks for; <see cref="Smoke"/> runs
/// the same code paths in seconds, so the test suite keeps the benchmarks working.
/// </summary>
internal sealed record BenchScale
{
    public static readonly BenchScale Full = new()
    {
        Name = "full",
        UnitBudget = TimeSpan.FromMinutes(3),
        SuiteBudget = TimeSpan.FromMinutes(20),
        BaselineDuration = TimeSpan.FromSeconds(10),
        B1Monitors = 100_000,
        B1Warmup = TimeSpan.FromSeconds(5),
        B1MeasureIntervals = 1.5,
        B1Overrun = TimeSpan.FromSeconds(2),
        WrkDuration = TimeSpan.FromSeconds(10),
        WrkWarmup = TimeSpan.FromSeconds(3),
        B2LoadMonitors = 1_000,
        B3Interval = TimeSpan.FromSeconds(5),
        B3Trials = 20,
        B4Subscribers = 10_000,
        B4ReceiverWarmup = TimeSpan.FromSeconds(3),
        B4MonitorsBefore = TimeSpan.FromSeconds(10),
        B5Monitors = 1_000,
        B5Repeats = 7,
        B6Results = 300_000,
    };

    public static readonly BenchScale Smoke = new()
    {
        Name = "smoke",
        UnitBudget = TimeSpan.FromSeconds(60),
        SuiteBudget = TimeSpan.FromMinutes(5),
        BaselineDuration = TimeSpan.FromSeconds(1),
        B1Monitors = 500,
        B1Warmup = TimeSpan.FromMilliseconds(500),
        B1MeasureIntervals = 1,
        B1Overrun = TimeSpan.FromMilliseconds(300),
        WrkDuration = TimeSpan.FromSeconds(1),
        WrkWarmup = TimeSpan.Zero,
        B2LoadMonitors = 100,
        B3Interval = TimeSpan.FromSeconds(1),
        B3Trials = 1,
        B4Subscribers = 40,
        B4ReceiverWarmup = TimeSpan.Zero,
        B4MonitorsBefore = TimeSpan.Zero,
        B5Monitors = 20,
        B5Repeats = 2,
        B6Results = 6_000,
    };

    public required string Name { get; init; }

    /// <summary>The most one benchmark may take; it is cancelled after that and reported as failed.</summary>
    public required TimeSpan UnitBudget { get; init; }

    public required TimeSpan SuiteBudget { get; init; }

    /// <summary>How long each bare baseline loop runs (B1's requests, B4's webhook posts have their own count).</summary>
    public required TimeSpan BaselineDuration { get; init; }

    public required int B1Monitors { get; init; }

    /// <summary>Time after the server is up before B1 starts counting: the first slots are also the JIT's.</summary>
    public required TimeSpan B1Warmup { get; init; }

    /// <summary>How many intervals B1 counts over: at least one, so every monitor's slot falls in it.</summary>
    public required double B1MeasureIntervals { get; init; }

    /// <summary>How long B1's server keeps running after a counted span, so that checks started late are stored.</summary>
    public required TimeSpan B1Overrun { get; init; }

    public required TimeSpan WrkDuration { get; init; }

    /// <summary>
    /// The same load, unmeasured, before each measured wrk run, for every server alike: a status page that the world
    /// opens at once has been up and serving, and a .NET server's first seconds under load are also its JIT's.
    /// </summary>
    public required TimeSpan WrkWarmup { get; init; }

    /// <summary>Monitors checked every second while B2 measures the page under checks.</summary>
    public required int B2LoadMonitors { get; init; }

    public required TimeSpan B3Interval { get; init; }

    public required int B3Trials { get; init; }

    public required int B4Subscribers { get; init; }

    /// <summary>
    /// Posts to B4's webhook receiver, unmeasured, before Candor's fan-out: the receiver stands in for thousands of
    /// servers that have been up, and cold, its own JIT took a fifth of the two cores during the fan-out.
    /// </summary>
    public required TimeSpan B4ReceiverWarmup { get; init; }

    /// <summary>How long each of B4's servers runs its monitors, once it serves, before its first incident.</summary>
    public required TimeSpan B4MonitorsBefore { get; init; }

    /// <summary>Monitors, and components, of B5; each has three locations and 90 days of rollups.</summary>
    public required int B5Monitors { get; init; }

    public required int B5Repeats { get; init; }

    public required int B6Results { get; init; }
}
