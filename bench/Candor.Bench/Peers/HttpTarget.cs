using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Candor.Bench.Peers;

/// <summary>
/// The smallest HTTP server that a probe can find healthy, for a benchmark to take down at a moment it chooses:
/// once stopped, its port refuses connections, as a crashed service's would.
/// </summary>
internal sealed class HttpTarget : IAsyncDisposable
{
    private static readonly byte[] Response =
        Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public HttpTarget()
    {
        _listener.Start(backlog: 256);
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync(_stopping.Token);
    }

    public Uri Url { get; }

    /// <summary>When the port stopped listening.</summary>
    public DateTimeOffset? StoppedAt { get; private set; }

    public void Stop()
    {
        if (StoppedAt is null)
        {
            _listener.Stop();
            StoppedAt = DateTimeOffset.UtcNow;
            _stopping.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = AnswerAsync(socket, cancellationToken);
        }
    }

    private static async Task AnswerAsync(Socket socket, CancellationToken cancellationToken)
    {
        using (socket)
        {
            try
            {
                var buffer = new byte[4096];
                var seen = 0;
                while (seen < buffer.Length)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(seen), cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    seen += read;
                    if (buffer.AsSpan(0, seen).IndexOf("\r\n\r\n"u8) >= 0)
                    {
                        await socket.SendAsync(Response, cancellationToken);
                        return;
                    }
                }
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                // A probe that gave up, or the target being stopped: either way there is nobody left to answer.
            }
        }
    }
}
