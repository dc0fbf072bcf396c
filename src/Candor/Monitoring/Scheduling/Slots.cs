namespace Candor.Monitoring.Scheduling;

/// <summary>
/// Where in its interval each monitor-location runs. The offset comes from a stable hash of the pair, so
/// 10,000 monitors at 30 s spread evenly over the 30 s instead of firing together, and a restarted server
/// keeps every monitor on the same beat.
/// </summary>
public static class Slots
{
    public static TimeSpan PhaseOf(string monitorId, string locationId, TimeSpan interval) =>
        TimeSpan.FromTicks((long)(StableHash(monitorId, locationId) % (ulong)interval.Ticks));

    /// <summary>The first slot at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset AtOrAfter(DateTimeOffset time, TimeSpan interval, TimeSpan phase)
    {
        var sincePhase = time.UtcTicks - phase.Ticks;
        var periods = sincePhase / interval.Ticks;
        var slot = (periods * interval.Ticks) + phase.Ticks;
        if (slot < time.UtcTicks)
        {
            slot += interval.Ticks;
        }

        return new DateTimeOffset(slot, TimeSpan.Zero);
    }

    /// <summary>
    /// The slot after a run that was due at <paramref name="due"/> and finished at <paramref name="finished"/>:
    /// normally one interval on; a run that overran its next slot skips to the first slot still ahead; a run
    /// requested off the beat (a heartbeat ping) returns to the beat.
    /// </summary>
    public static DateTimeOffset Next(DateTimeOffset due, DateTimeOffset finished, TimeSpan interval, TimeSpan phase) =>
        AtOrAfter(due.AddTicks(1) > finished ? due.AddTicks(1) : finished, interval, phase);

    // FNV-1a over the UTF-16 code units: stable across processes and runtimes, unlike string.GetHashCode.
    private static ulong StableHash(string monitorId, string locationId)
    {
        const ulong offset = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offset;
        foreach (var c in monitorId)
        {
            hash = (hash ^ c) * prime;
        }

        hash = (hash ^ '\n') * prime;
        foreach (var c in locationId)
        {
            hash = (hash ^ c) * prime;
        }

        return hash;
    }
}
