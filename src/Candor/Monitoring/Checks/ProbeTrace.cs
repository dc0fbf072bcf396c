using Candor.Configuration;

namespace Candor.Monitoring.Checks;

/// <summary>
/// What one probe has done so far: how long each phase took, on the check's clock, and which phase it is in,
/// so that a timeout can say where it struck. A phase that runs more than once (a redirect to another host
/// opens a second connection) adds up.
/// </summary>
internal sealed class ProbeTrace(TimeProvider clock)
{
    private readonly long _started = clock.GetTimestamp();

    /// <summary>Completes "timed out after 10s ...", e.g. "waiting for the first byte".</summary>
    public string Phase { get; private set; } = "starting";

    public TimeSpan? Dns { get; private set; }

    public TimeSpan? Connect { get; private set; }

    public TimeSpan? Tls { get; private set; }

    public TimeSpan Elapsed => clock.GetElapsedTime(_started);

    /// <returns>A timestamp to hand to the matching <c>Add...</c> when the phase ends.</returns>
    public long Enter(string phase)
    {
        Phase = phase;
        return clock.GetTimestamp();
    }

    public void AddDns(long since) => Dns = (Dns ?? TimeSpan.Zero) + clock.GetElapsedTime(since);

    public void AddConnect(long since) => Connect = (Connect ?? TimeSpan.Zero) + clock.GetElapsedTime(since);

    public void AddTls(long since) => Tls = (Tls ?? TimeSpan.Zero) + clock.GetElapsedTime(since);

    public PhaseTimings Timings(TimeSpan? firstByte = null) => new(Dns, Connect, Tls, firstByte);

    public Observation Failed(ErrorKind kind, string message) => Observation.Failed(kind, message, Elapsed, Timings());

    public Observation TimedOut(TimeSpan timeout) =>
        Failed(ErrorKind.Timeout, $"timed out after {Duration.Format(timeout)} {Phase}");
}
