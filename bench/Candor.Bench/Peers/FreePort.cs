using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Candor.Bench.Peers;

/// <summary>
/// Ports on 127.0.0.1 for the servers the benchmarks and the tests start, free for TCP and UDP, chosen below the
/// kernel's ephemeral range. A port the kernel picks (a bind to port 0) is one it may pick again a moment later for
/// another outgoing connection, before the server meant to have it binds it: a restart test lost its port that way
/// while `candor token create` ran, and the benchmarks' smoke test lost B4's while the other tests ran beside it.
/// Below the range only this class chooses ports, and each is handed out once per process.
/// </summary>
internal static class FreePort
{
    private static readonly (int First, int Count) Range = BelowEphemeralRange();

    /// <summary>Where the next look starts: a run begins at a random place, away from what the last one left behind.</summary>
    private static int _next = Random.Shared.Next(Range.Count);

    public static int Next()
    {
        for (var looked = 0; looked < Range.Count; looked++)
        {
            var port = Range.First + (int)((uint)Interlocked.Increment(ref _next) % (uint)Range.Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free port from {Range.First} to {Range.First + Range.Count - 1}");
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

    private static bool IsFree(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Up to 10,000 ports just below the lowest the kernel picks (32768 on Linux unless configured).</summary>
    private static (int First, int Count) BelowEphemeralRange()
    {
        var lowest = 32768;
        const string Setting = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(Setting)
            && int.TryParse(File.ReadAllText(Setting).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var configured))
        {
            lowest = configured;
        }

        var first = Math.Max(1024, lowest - 10_000);
        return lowest - first >= 1_000
            ? (first, lowest - first)
            : throw new InvalidOperationException($"the ephemeral ports start at {lowest}, leaving too few below them for the servers");
    }
}
