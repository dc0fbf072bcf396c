using System.Net;
using System.Net.Sockets;
using Candor.Monitoring.Checks.Icmp;

namespace Candor.Diagnostics;

/// <summary>
/// Traces the route toward an address that a TCP connect could not reach, for the diagnostic bundle, so that its
/// summary can say where the path goes dark.
/// </summary>
public interface ITracerouteRunner
{
    /// <param name="timeout">How long the whole trace may take.</param>
    Task<TracerouteDiagnosis> TraceAsync(IPAddress toward, int port, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// ICMP echo with increasing TTL. Where raw sockets are not permitted, or the route cannot even be tried, the
/// bundle says so instead of failing.
/// </summary>
public sealed class IcmpTracerouteRunner(TimeProvider clock) : ITracerouteRunner
{
    public async Task<TracerouteDiagnosis> TraceAsync(IPAddress toward, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var trace = await new Traceroute(clock).TraceAsync(toward, new TracerouteOptions(), limit.Token);
            return trace.Outcome == TraceOutcome.NotPermitted
                ? TracerouteDiagnosis.NotRun(trace.Message ?? "raw sockets are not permitted") with { Toward = toward.ToString() }
                : new TracerouteDiagnosis(
                    TracerouteDiagnosis.RunStatus,
                    null,
                    toward.ToString(),
                    [.. trace.Hops.Select(h => new TracerouteHop(h.Ttl, h.Address?.ToString(), h.RoundTrip?.TotalMilliseconds))]);
        }
        catch (SocketException error)
        {
            return TracerouteDiagnosis.NotRun($"the route could not be traced: {error.Message}") with { Toward = toward.ToString() };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TracerouteDiagnosis.NotRun($"the trace took longer than {Configuration.Duration.Format(timeout)}") with { Toward = toward.ToString() };
        }
    }
}
