using System.Net;
using System.Net.Sockets;

namespace Candor.Bench.Peers;

internal static class FreePort
{
    /// <summary>A port of 127.0.0.1 that was free a moment ago, for peers that must be told their port.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on the port, or the program that should has exited.</summary>
    public static async Task WaitUntilListeningAsync(int port, ChildProcess owner, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (owner.HasExited)
            {
                throw new InvalidOperationException($"exited with code {owner.ExitCode} before listening on {port}:\n{owner.Tail()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
