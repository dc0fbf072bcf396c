using System.Net;

namespace Candor.Diagnostics;

/// <summary>
/// Traces the route toward an address that a TCP connect could not reach, for the diagnostic bundle, so that its
/// summary can say where the path goes dark. Until Candor has a traceroute, <see cref="NoTraceroute"/> stands in.
/// </summary>
public interface ITracerouteRunner
{
    /// <param name="timeout">How long the whole trace may take.</param>
    Task<TracerouteDiagnosis> TraceAsync(IPAddress toward, int port, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Says in every bundle that no route was traced, and why, rather than leaving the field out.</summary>
public sealed class NoTraceroute : ITracerouteRunner
{
    public const string Reason = "no traceroute is available in this build";

    public Task<TracerouteDiagnosis> TraceAsync(IPAddress toward, int port, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(TracerouteDiagnosis.NotRun(Reason) with { Toward = toward.ToString() });
}
