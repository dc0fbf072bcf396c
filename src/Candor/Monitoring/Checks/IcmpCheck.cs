using System.Net;
using System.Net.Sockets;
using Candor.Configuration;
using Candor.Monitoring.Checks.Icmp;

namespace Candor.Monitoring.Checks;

/// <summary>
/// Pings the target: <see cref="IcmpSettings.Count"/> echo requests, <see cref="IcmpSettings.Spacing"/> apart, and
/// reports the loss and the round-trip times. Losing every request is a failure; losing some is a fact, which
/// conditions such as `packet_loss &lt; 20%` judge.
/// </summary>
public sealed class IcmpCheck : Check<IcmpSettings>
{
    protected override async Task<Observation> RunAsync(
        MonitorConfig monitor, IcmpSettings settings, CheckContext context, CancellationToken cancellationToken)
    {
        var host = monitor.Target!;
        var trace = new ProbeTrace(context.Clock);
        try
        {
            var address = (await SocketProbe.ResolveAsync(host, trace, cancellationToken))[0];
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            var target = address.ToString() == host ? host : $"{host} ({address})";
            IcmpEchoClient client;
            try
            {
                client = IcmpEchoClient.Open(address.AddressFamily, context.Clock);
            }
            catch (IcmpNotPermittedException ex)
            {
                return trace.Failed(ErrorKind.Internal, ex.Message);
            }

            await using (client)
            {
                trace.Enter($"waiting for echo replies from {target}");
                var echoes = await PingAsync(client, address, settings, context.Clock, cancellationToken);
                return Observe(echoes, target, trace);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return trace.TimedOut(monitor.Timeout);
        }
        catch (ProbeException ex)
        {
            return trace.Failed(ex.Kind, ex.Message);
        }
        catch (SocketException ex)
        {
            return trace.Failed(ErrorKind.Connect, $"cannot send echo requests to {host}: {ex.Message}");
        }
    }

    /// <summary>Sends on a fixed rhythm without waiting for replies, as ping does, so a slow reply delays no request.</summary>
    private static async Task<EchoResult[]> PingAsync(
        IcmpEchoClient client, IPAddress address, IcmpSettings settings, TimeProvider clock, CancellationToken cancellationToken)
    {
        var echoes = new List<Task<EchoResult>>(settings.Count);
        for (var i = 0; i < settings.Count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(settings.Spacing, clock, cancellationToken);
            }

            echoes.Add(client.EchoAsync(address, IcmpEchoClient.DefaultTtl, settings.Wait, cancellationToken));
        }

        return await Task.WhenAll(echoes);
    }

    private static Observation Observe(EchoResult[] echoes, string target, ProbeTrace trace)
    {
        var roundTrips = echoes
            .Where(e => e.Status == EchoStatus.Reply)
            .Select(e => e.RoundTrip!.Value)
            .ToList();
        if (roundTrips.Count == 0)
        {
            var reports = echoes
                .Where(e => e.Status is EchoStatus.Unreachable or EchoStatus.TimeExceeded)
                .Select(e => e.Status == EchoStatus.Unreachable
                    ? $"{e.From} reported it unreachable"
                    : $"{e.From} reported the TTL exceeded")
                .Distinct()
                .Select(report => "; " + report);
            var requests = echoes.Length == 1 ? "1 echo request" : $"{echoes.Length} echo requests";
            return trace.Failed(ErrorKind.Timeout, $"no reply to {requests} to {target}{string.Concat(reports)}");
        }

        var average = TimeSpan.FromTicks((long)roundTrips.Average(r => r.Ticks));
        var lost = echoes.Length - roundTrips.Count;
        return new Observation
        {
            Facts = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["packet_loss"] = Math.Round(100.0 * lost / echoes.Length, 1),
                ["rtt_min"] = roundTrips.Min(),
                ["rtt_avg"] = average,
                ["rtt_max"] = roundTrips.Max(),
                ["response_time"] = average,
            },
            ResponseTime = average,
            Timings = trace.Timings(),
        };
    }
}
