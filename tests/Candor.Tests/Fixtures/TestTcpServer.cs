using System.Net;
using System.Net.Sockets;

namespace Candor.Tests.Fixtures;

/// <summary>A TcpListener on 127.0.0.1 that holds the given conversation with each client, one after another.</summary>
public sealed class TestTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;

    public TestTcpServer(Func<NetworkStream, CancellationToken, Task> converse)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _serving = ServeAsync(converse);
    }

    public int Port { get; }

    public string Target => $"127.0.0.1:{Port}";

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _serving;
        _stopping.Dispose();
    }

    private async Task ServeAsync(Func<NetworkStream, CancellationToken, Task> converse)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                await converse(client.GetStream(), _stopping.Token);
            }
            catch (Exception ex) when (_stopping.IsCancellationRequested || ex is IOException or SocketException)
            {
                // The test is over, or the probe hung up first: either way the next client is served.
            }
        }
    }
}
