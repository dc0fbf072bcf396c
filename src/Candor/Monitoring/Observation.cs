namespace Candor.Monitoring;

/// <summary>
/// What a probe saw, before any condition is applied. A probe that could not get an answer at all reports a
/// <see cref="Failure"/>; otherwise it reports facts (status, body, headers, timings) for the conditions.
/// </summary>
/// <remarks>
/// Fact values are one of: <see cref="long"/> or <see cref="double"/> (numbers), <see cref="TimeSpan"/>
/// (durations), <see cref="string"/>, <see cref="bool"/>, or <see cref="IReadOnlyList{T}"/> of string.
/// </remarks>
public sealed class Observation
{
    public ErrorKind? Failure { get; init; }

    public string? FailureMessage { get; init; }

    public PhaseTimings Timings { get; init; } = PhaseTimings.None;

    /// <summary>The time the probe itself measured as the response time (always also the fact `response_time`).</summary>
    public TimeSpan ResponseTime { get; init; }

    public IReadOnlyDictionary<string, object> Facts { get; init; } = new Dictionary<string, object>();

    public IReadOnlyDictionary<string, string> Headers { get; init; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public string? Body { get; init; }

    public static Observation Failed(ErrorKind kind, string message, TimeSpan elapsed, PhaseTimings? timings = null) =>
        new() { Failure = kind, FailureMessage = message, ResponseTime = elapsed, Timings = timings ?? PhaseTimings.None };
}
