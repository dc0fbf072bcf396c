using System.Net.Sockets;
using Candor.Configuration;

namespace Candor.Monitoring.Checks.Dns;

/// <summary>
/// Asks one DNS server for one record and reports what it said. Any response code is a fact, not a failure: a
/// monitor may well expect NXDOMAIN. Only getting no usable answer at all is a failure.
/// </summary>
public sealed class DnsCheck : Check<DnsSettings>
{
    protected override async Task<Observation> RunAsync(
        MonitorConfig monitor, DnsSettings settings, CheckContext context, CancellationToken cancellationToken)
    {
        var type = settings.RecordType();
        var name = DnsSettings.NameToAsk(monitor.Target ?? "", type);
        var server = settings.Server is null
            ? await SystemResolver.FindAsync(cancellationToken)
            : DnsSettings.TryParseServer(settings.Server, out var configured)
                ? configured
                : throw new InvalidOperationException($"server '{settings.Server}' got past validation");

        var query = $"DNS query for {(name == "." ? name : name.TrimEnd('.'))} {type.Name()} to {server}";
        var started = context.Clock.GetTimestamp();
        try
        {
            var exchange = await new DnsWireClient(context.Clock)
                .QueryAsync(server, DnsQuery.Create(name, type), cancellationToken);
            return Observe(exchange, type);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Observation.Failed(
                ErrorKind.Timeout,
                $"{query} timed out after {Describe(monitor.Timeout)}",
                context.Clock.GetElapsedTime(started));
        }
        catch (SocketException e)
        {
            return Observation.Failed(
                ErrorKind.Dns, $"{query} failed: {Explain(e)}", context.Clock.GetElapsedTime(started));
        }
        catch (EndOfStreamException)
        {
            return Observation.Failed(
                ErrorKind.Dns,
                $"{query} failed: the server closed the TCP connection before the whole answer came",
                context.Clock.GetElapsedTime(started));
        }
        catch (DnsFormatException e)
        {
            return Observation.Failed(
                ErrorKind.Protocol, $"{query} got a malformed answer: {e.Message}", context.Clock.GetElapsedTime(started));
        }
    }

    private static Observation Observe(DnsExchange exchange, DnsRecordType type)
    {
        var answers = exchange.Response.Answers
            .Where(r => r.Type == type && r.Class == DnsQuestion.InternetClass)
            .ToArray();
        var facts = new Dictionary<string, object>
        {
            ["rcode"] = exchange.Response.ResponseCode.Name(),
            ["answers"] = answers.Select(r => r.Data).ToArray(),
            ["response_time"] = exchange.ResponseTime,
            ["truncated_retried_over_tcp"] = exchange.RetriedOverTcp,
        };
        if (answers.Length > 0)
        {
            facts["ttl"] = TimeSpan.FromSeconds(answers.Min(r => r.Ttl));
        }

        return new Observation
        {
            Facts = facts,
            ResponseTime = exchange.ResponseTime,
            Timings = new PhaseTimings(Dns: exchange.ResponseTime),
        };
    }

    private static string Explain(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused: nothing listens on that port (ICMP port unreachable or TCP reset)",
        SocketError.ConnectionReset => "the server reset the connection",
        SocketError.NetworkUnreachable => "the network is unreachable from here",
        SocketError.HostUnreachable => "the host is unreachable from here",
        SocketError.AddressFamilyNotSupported => "this machine cannot use that address family (no IPv6?)",
        _ => $"{e.Message} ({e.SocketErrorCode})",
    };

    private static string Describe(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{(long)duration.TotalSeconds}s"
            : $"{(long)duration.TotalMilliseconds}ms";
}
