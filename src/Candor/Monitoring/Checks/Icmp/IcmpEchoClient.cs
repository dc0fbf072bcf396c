using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Candor.Monitoring.Checks.Icmp;

/// <summary>
/// Sends ICMP echo requests from a raw socket of its own and matches each answer to its request by identifier and
/// sequence number. Several requests may be in flight at once; one receive loop hands each answer to its waiter.
/// </summary>
/// <remarks>
/// A raw socket sees every ICMP packet the host receives, including the answers to other programs' pings: the
/// identifier, drawn at random for each client, and the address the request went to tell ours apart.
/// </remarks>
public sealed class IcmpEchoClient : IAsyncDisposable
{
    /// <summary>What Linux itself uses; enough for any path on the internet.</summary>
    public const int DefaultTtl = 64;

    /// <summary>Room for the largest answer: an error quoting a full-sized request.</summary>
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly TimeProvider _clock;
    private readonly ushort _identifier = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
    private readonly ConcurrentDictionary<ushort, PendingEcho> _pending = new();
    private readonly Lock _sending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _sequence;
    private volatile SocketException? _broken;

    private IcmpEchoClient(Socket socket, TimeProvider clock)
    {
        _socket = socket;
        _clock = clock;
        _receiving = ReceiveAsync(_stop.Token);
    }

    /// <summary>Opens a raw ICMP (or ICMPv6) socket for addresses of the given family.</summary>
    /// <exception cref="IcmpNotPermittedException">The process has neither root nor CAP_NET_RAW.</exception>
    public static IcmpEchoClient Open(AddressFamily family, TimeProvider clock)
    {
        var protocol = family == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp;
        Socket socket;
        try
        {
            socket = new Socket(family, SocketType.Raw, protocol);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new IcmpNotPermittedException(ex);
        }

        try
        {
            // Bound to no address in particular, so that answers are received on every interface.
            socket.Bind(new IPEndPoint(AnyAddress(family), 0));
            return new IcmpEchoClient(socket, clock);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one echo request and waits up to <paramref name="wait"/> for its answer.</summary>
    /// <param name="ttl">How many routers the request may pass; traceroute counts it up from 1.</param>
    /// <exception cref="SocketException">The request could not be sent, e.g. no route to the target.</exception>
    public async Task<EchoResult> EchoAsync(IPAddress target, int ttl, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ttl, byte.MaxValue);
        var sequence = (ushort)Interlocked.Increment(ref _sequence);
        var pending = new PendingEcho(target);
        _pending[sequence] = pending;
        try
        {
            // Checked after registering, so that a receive loop that breaks now either sees this request or is seen.
            if (_broken is { } broken)
            {
                throw broken;
            }

            var packet = IcmpPackets.EchoRequest(_socket.AddressFamily, _identifier, sequence);
            long sentAt;
            // The TTL is a property of the socket, so setting it and sending must not interleave with another send.
            lock (_sending)
            {
                _socket.Ttl = (short)ttl;
                sentAt = _clock.GetTimestamp();
                _socket.SendTo(packet, new IPEndPoint(target, 0));
            }

            try
            {
                var (status, from, receivedAt) = await pending.Answer.Task.WaitAsync(wait, _clock, cancellationToken);
                return new EchoResult(status, from, _clock.GetElapsedTime(sentAt, receivedAt));
            }
            catch (TimeoutException)
            {
                return EchoResult.TimedOut;
            }
        }
        finally
        {
            _pending.TryRemove(sequence, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _receiving;
        _stop.Dispose();
    }

    private async Task ReceiveAsync(CancellationToken stop)
    {
        var buffer = new byte[ReceiveBufferSize];
        EndPoint any = new IPEndPoint(AnyAddress(_socket.AddressFamily), 0);
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop);
                var receivedAt = _clock.GetTimestamp();
                var from = ((IPEndPoint)received.RemoteEndPoint).Address;
                if (IcmpPackets.TryReadAnswer(
                        buffer.AsSpan(0, received.ReceivedBytes), _socket.AddressFamily, _identifier, from, out var answer)
                    && _pending.TryGetValue(answer.Sequence, out var pending)
                    && pending.Target.Equals(answer.Regarding))
                {
                    pending.Answer.TrySetResult((answer.Status, from, receivedAt));
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Disposed: nobody waits for answers any more.
        }
        catch (SocketException ex)
        {
            // Without the loop no answer can arrive: fail the waiting requests now rather than let them time out as loss.
            _broken = ex;
            foreach (var pending in _pending.Values)
            {
                pending.Answer.TrySetException(ex);
            }
        }
    }

    private static IPAddress AnyAddress(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;

    private sealed class PendingEcho(IPAddress target)
    {
        public IPAddress Target { get; } = target;

        public TaskCompletionSource<(EchoStatus Status, IPAddress From, long ReceivedAt)> Answer { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
