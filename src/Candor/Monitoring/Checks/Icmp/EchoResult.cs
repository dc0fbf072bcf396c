using System.Net;

namespace Candor.Monitoring.Checks.Icmp;

/// <summary>What came back for one echo request.</summary>
public enum EchoStatus
{
    /// <summary>The target answered.</summary>
    Reply,

    /// <summary>A router on the way dropped the request when its TTL ran out, and said so.</summary>
    TimeExceeded,

    /// <summary>A router or the target said that the target cannot be reached.</summary>
    Unreachable,

    /// <summary>Nothing came back within the wait.</summary>
    TimedOut,
}

/// <param name="From">Who answered: the target, or the router that reported; null when nothing came back.</param>
/// <param name="RoundTrip">From sending the request to receiving the answer; null when nothing came back.</param>
public sealed record EchoResult(EchoStatus Status, IPAddress? From, TimeSpan? RoundTrip)
{
    public static readonly EchoResult TimedOut = new(EchoStatus.TimedOut, null, null);
}
