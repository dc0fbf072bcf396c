using System.Net;

namespace Candor.Monitoring.Checks.Icmp;

/// <summary>
/// Finds the routers on the way to a target, as `traceroute -I` does: ICMP echo requests with TTL 1, 2, 3, ...; each
/// router that drops a request for its expired TTL says so, and so names itself, until the target answers.
/// </summary>
/// <remarks>
/// One request per hop, one hop after the other: routers limit the rate of the errors they send, and a burst of
/// requests would make some of them look silent.
/// </remarks>
public sealed class Traceroute(TimeProvider clock)
{
    /// <exception cref="System.Net.Sockets.SocketException">The requests cannot be sent, e.g. no route to the target.</exception>
    public async Task<TraceResult> TraceAsync(IPAddress target, TracerouteOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxHops, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxHops, byte.MaxValue);
        if (target.IsIPv4MappedToIPv6)
        {
            target = target.MapToIPv4();
        }

        IcmpEchoClient client;
        try
        {
            client = IcmpEchoClient.Open(target.AddressFamily, clock);
        }
        catch (IcmpNotPermittedException ex)
        {
            return new TraceResult(TraceOutcome.NotPermitted, [], ex.Message);
        }

        await using (client)
        {
            var hops = new List<TraceHop>();
            for (var ttl = 1; ttl <= options.MaxHops; ttl++)
            {
                var echo = await client.EchoAsync(target, ttl, options.Wait, cancellationToken);
                hops.Add(new TraceHop(ttl, echo.From, echo.RoundTrip));
                switch (echo.Status)
                {
                    case EchoStatus.Reply:
                        return new TraceResult(TraceOutcome.Reached, hops);
                    case EchoStatus.Unreachable:
                        return new TraceResult(TraceOutcome.Unreachable, hops);
                }
            }

            return new TraceResult(TraceOutcome.HopLimit, hops);
        }
    }
}
