using Candor.Monitoring;

namespace Candor.Bench.Benchmarks;

/// <summary>Check results as monitors produce them, for the benchmarks that write to a store without checking.</summary>
internal static class SyntheticResults
{
    public static readonly string[] Locations = ["local", "eu-west", "us-east"];

    public static string MonitorId(int index) => $"monitor-{index:0000}";

    /// <summary>
    /// One result of a monitor at a location: mostly up in tens of milliseconds, one in fifty degraded, one in a
    /// hundred down with the message a refused connection gives. Seeded, so every run writes the same rows.
    /// </summary>
    public static CheckResult Result(Random random, string monitorId, string locationId, DateTimeOffset startedAt)
    {
        var roll = random.Next(100);
        var outcome = roll == 0 ? Outcome.Down : roll < 3 ? Outcome.Degraded : Outcome.Up;
        var connect = TimeSpan.FromMilliseconds(1 + (random.NextDouble() * 20));
        var total = connect + TimeSpan.FromMilliseconds(5 + (random.NextDouble() * 80));
        return new CheckResult(
            Guid.CreateVersion7(startedAt),
            monitorId,
            locationId,
            startedAt,
            total,
            outcome,
            outcome == Outcome.Down ? ErrorKind.Connect : null,
            outcome == Outcome.Down ? $"connection to {monitorId}.example:443 failed: Connection refused" : null,
            new PhaseTimings(Dns: TimeSpan.FromMilliseconds(1), Connect: connect, FirstByte: total - connect));
    }
}
