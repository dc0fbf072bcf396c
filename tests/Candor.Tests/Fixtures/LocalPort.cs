using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Candor.Tests.Fixtures;

/// <summary>Waits for a server a fixture started to accept connections on 127.0.0.1.</summary>
internal static class LocalPort
{
    /// <returns>False when the time is up or the process has exited first.</returns>
    public static async Task<bool> WaitUntilAcceptingAsync(int port, Process process, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested && !process.HasExited)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }
}
