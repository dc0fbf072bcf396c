using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Candor.Monitoring.Checks.Dns;

/// <param name="ResponseTime">From sending the query to reading the answer, including the TCP retry if there was one.</param>
public sealed record DnsExchange(DnsMessage Response, TimeSpan ResponseTime, bool RetriedOverTcp);

/// <summary>
/// Asks one server one question over UDP, and again over TCP when the UDP answer is truncated (RFC 1035 section
/// 4.2, RFC 7766). It never retries a lost UDP query: the caller's deadline decides how long to wait.
/// </summary>
public sealed class DnsWireClient(TimeProvider clock)
{
    private const int MaxMessageLength = ushort.MaxValue;

    /// <param name="cancellationToken">The caller's deadline; when it passes the query ends in an <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="SocketException">The query could not be sent or the server refused it (e.g. ICMP port unreachable).</exception>
    /// <exception cref="EndOfStreamException">The server closed the TCP connection before the whole answer came.</exception>
    /// <exception cref="DnsFormatException">The answer is malformed, or the TCP answer is for another question.</exception>
    public async Task<DnsExchange> QueryAsync(IPEndPoint server, DnsQuery query, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var wire = query.Encode();
        var response = await QueryOverUdpAsync(server, query, wire, cancellationToken);
        var retried = response is null;
        response ??= await QueryOverTcpAsync(server, query, wire, cancellationToken);
        return new DnsExchange(response, clock.GetElapsedTime(started), retried);
    }

    /// <returns>The answer, or null when the server says it is truncated.</returns>
    private static async Task<DnsMessage?> QueryOverUdpAsync(
        IPEndPoint server, DnsQuery query, byte[] wire, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

        // A connected socket receives only from the server, and learns of an ICMP "port unreachable" as an error.
        await socket.ConnectAsync(server, cancellationToken);
        await socket.SendAsync(wire, SocketFlags.None, cancellationToken);
        var buffer = new byte[MaxMessageLength];
        while (true)
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            var packet = buffer.AsSpan(0, length);

            // Another id is a late answer to an earlier query from the same port, or a forgery: neither is ours.
            if (length < 2 || BinaryPrimitives.ReadUInt16BigEndian(packet) != query.Id)
            {
                continue;
            }

            // A truncated answer may stop in the middle of a record, so it is not parsed: TCP brings the whole one.
            if (DnsMessage.IsTruncated(packet))
            {
                return null;
            }

            var message = DnsMessage.Parse(packet);
            if (query.IsAnsweredBy(message))
            {
                return message;
            }
        }
    }

    private static async Task<DnsMessage> QueryOverTcpAsync(
        IPEndPoint server, DnsQuery query, byte[] wire, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        // Over TCP each message goes after its length in two bytes (RFC 1035 section 4.2.2).
        var framed = new byte[2 + wire.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)wire.Length);
        wire.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellationToken);

        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, cancellationToken);
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(answer, cancellationToken);
        var message = DnsMessage.Parse(answer);
        return query.IsAnsweredBy(message)
            ? message
            : throw new DnsFormatException(
                $"the answer over TCP (id {message.Id}) is not for the query asked (id {query.Id})");
    }
}
