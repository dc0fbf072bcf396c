namespace Candor.Monitoring.Checks.Icmp;

/// <summary>How a traceroute ended.</summary>
public enum TraceOutcome
{
    /// <summary>The target answered; it is the last hop.</summary>
    Reached,

    /// <summary>The last hop reported that the target cannot be reached.</summary>
    Unreachable,

    /// <summary>The target did not answer within the maximum number of hops.</summary>
    HopLimit,

    /// <summary>The process may not open raw sockets; there are no hops, and <see cref="TraceResult.Message"/> says why.</summary>
    NotPermitted,
}

/// <param name="Hops">From TTL 1 up to the hop where the trace ended.</param>
/// <param name="Message">Why there are no hops, for <see cref="TraceOutcome.NotPermitted"/>.</param>
public sealed record TraceResult(TraceOutcome Outcome, IReadOnlyList<TraceHop> Hops, string? Message = null);
