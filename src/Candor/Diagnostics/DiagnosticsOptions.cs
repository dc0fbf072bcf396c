using System.Net;

namespace Candor.Diagnostics;

public sealed record DiagnosticsOptions
{
    /// <summary>Diagnoses running at once; an outage of many monitors queues the rest instead of flooding the network.</summary>
    public int MaxConcurrent { get; init; } = 4;

    /// <summary>How long one whole diagnosis may take; each of its steps also has the monitor's own timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Requests waiting past this many are dropped (and logged): the evidence is a bonus, never a backlog.</summary>
    public int MaxQueued { get; init; } = 1000;

    /// <summary>The DNS server to ask about targets' names; null for the system's (dns monitors ask their own).</summary>
    public IPEndPoint? Resolver { get; init; }
}
