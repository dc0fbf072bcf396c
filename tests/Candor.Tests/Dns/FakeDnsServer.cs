using System.Net;
using System.Net.Sockets;

namespace Candor.Tests.Dns;

/// <summary>
/// A DNS server on 127.0.0.1 that answers each query with whatever packets the test wants, including none, stray
/// ones and broken ones; something a real server will not do on request.
/// </summary>
internal sealed class FakeDnsServer : IAsyncDisposable
{
    private Socket _udp = null!;
    private Socket _tcp = null!;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _queries;

    /// <param name="overUdp">The packets to send back for a query that came over UDP, in order.</param>
    /// <param name="overTcp">The message to send back over TCP, or null to close the connection unanswered.</param>
    public FakeDnsServer(Func<byte[], IEnumerable<byte[]>> overUdp, Func<byte[], byte[]?>? overTcp = null)
    {
        BindBoth();
        _tcp.Listen();
        _serving = Task.WhenAll(
            ServeUdpAsync(overUdp, _stop.Token),
            ServeTcpAsync(overTcp ?? (_ => null), _stop.Token));
    }

    public int Port => ((IPEndPoint)_udp.LocalEndPoint!).Port;

    public string Server => $"127.0.0.1:{Port}";

    /// <summary>How many queries came in, over either transport.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>A response to <paramref name="query"/>: its id and question, then the records the builder writes.</summary>
    public static byte[] Answer(
        byte[] query, int answers, Action<PacketBuilder> records, ushort flags = PacketBuilder.ResponseFlags)
    {
        // The query ends with its 11-byte OPT record, which the answer leaves out.
        var question = query[12..^11];
        var builder = new PacketBuilder()
            .Header(id: (ushort)((query[0] << 8) | query[1]), flags: flags, answers: (ushort)answers)
            .Bytes(question);
        records(builder);
        return builder.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Dispose();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping is what ends the loops.
        }

        _stop.Dispose();
    }

    /// <summary>
    /// Binds both sockets to one port. The UDP port the system picks may be taken for TCP (by another program, or
    /// by a connection still in TIME_WAIT), so a clash is tried again on another port.
    /// </summary>
    private void BindBoth()
    {
        for (var attempt = 1; ; attempt++)
        {
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            try
            {
                _tcp.Bind(new IPEndPoint(IPAddress.Loopback, Port));
                return;
            }
            catch (SocketException) when (attempt < 20)
            {
                _udp.Dispose();
                _tcp.Dispose();
            }
        }
    }

    private async Task ServeUdpAsync(Func<byte[], IEnumerable<byte[]>> overUdp, CancellationToken cancellationToken)
    {
        var buffer = new byte[65535];
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = await _udp.ReceiveFromAsync(
                buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
            Interlocked.Increment(ref _queries);
            foreach (var packet in overUdp(buffer[..received.ReceivedBytes]))
            {
                await _udp.SendToAsync(packet, SocketFlags.None, received.RemoteEndPoint, cancellationToken);
            }
        }
    }

    private async Task ServeTcpAsync(Func<byte[], byte[]?> overTcp, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var connection = await _tcp.AcceptAsync(cancellationToken);
            await using var stream = new NetworkStream(connection);
            var prefix = new byte[2];
            await stream.ReadExactlyAsync(prefix, cancellationToken);
            var query = new byte[(prefix[0] << 8) | prefix[1]];
            await stream.ReadExactlyAsync(query, cancellationToken);
            Interlocked.Increment(ref _queries);
            if (overTcp(query) is { } answer)
            {
                await stream.WriteAsync(new[] { (byte)(answer.Length >> 8), (byte)answer.Length }, cancellationToken);
                await stream.WriteAsync(answer, cancellationToken);
            }
        }
    }
}
