namespace Candor.Monitoring;

/// <summary>What one run of one monitor at one location concluded.</summary>
public enum Outcome
{
    Up,
    Degraded,
    Down,
}

/// <summary>Where a failed check broke, so an operator knows which layer to look at first.</summary>
public enum ErrorKind
{
    Dns,
    Connect,
    Tls,
    Timeout,
    Status,
    Assertion,
    Protocol,
    Heartbeat,
    Internal,
}

/// <summary>How long each phase of a probe took; phases a check type does not have stay null.</summary>
public sealed record PhaseTimings(
    TimeSpan? Dns = null,
    TimeSpan? Connect = null,
    TimeSpan? Tls = null,
    TimeSpan? FirstByte = null)
{
    public static readonly PhaseTimings None = new();
}

/// <summary>
/// One run of one monitor at one location. The id is a version 7 GUID made when the check ran, so a result
/// that is delivered twice (a retried batch from an agent, a replayed write) is stored once.
/// </summary>
public sealed record CheckResult(
    Guid Id,
    string MonitorId,
    string LocationId,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    Outcome Outcome,
    ErrorKind? ErrorKind,
    string? Message,
    PhaseTimings Timings);
