using System.Net;
using System.Net.Sockets;

namespace Candor.Tests.Fixtures;

/// <summary>
/// A port on 127.0.0.1 that is bound but not listening: a connection to it is refused, and nothing else can
/// take the port while this lives, unlike a port that was merely free a moment ago.
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public void Dispose() => _socket.Dispose();
}
