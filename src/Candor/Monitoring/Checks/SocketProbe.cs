using System.Net;
using System.Net.Sockets;

namespace Candor.Monitoring.Checks;

/// <summary>
/// Resolves and connects for the checks that open TCP connections, timing each step and naming each failure
/// the same way in every check ("DNS: no address for x", "TCP connect to x:1 refused").
/// </summary>
internal static class SocketProbe
{
    /// <exception cref="ProbeException">The name does not resolve or the connection is not accepted.</exception>
    public static async Task<Socket> ConnectAsync(HostPort endpoint, ProbeTrace trace, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(endpoint.Host, trace, cancellationToken);
        var started = trace.Enter($"connecting to {endpoint}");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return socket;
        }
        catch (Exception ex)
        {
            socket.Dispose();
            if (ex is SocketException refused)
            {
                throw new ProbeException(ErrorKind.Connect, $"TCP connect to {endpoint} {Describe(refused)}", ex);
            }

            throw;
        }
        finally
        {
            trace.AddConnect(started);
        }
    }

    /// <exception cref="ProbeException">The name does not resolve.</exception>
    public static async Task<IPAddress[]> ResolveAsync(string host, ProbeTrace trace, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        var started = trace.Enter($"resolving {host}");
        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken);
            return addresses.Length > 0
                ? addresses
                : throw new ProbeException(ErrorKind.Dns, $"DNS: no address for {host}");
        }
        catch (SocketException ex)
        {
            throw new ProbeException(ErrorKind.Dns, DescribeLookup(host, ex), ex);
        }
        finally
        {
            trace.AddDns(started);
        }
    }

    private static string DescribeLookup(string host, SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.HostNotFound or SocketError.NoData => $"DNS: no address for {host}",
        SocketError.TryAgain => $"DNS: lookup of {host} failed for now (the resolver answered 'try again')",
        _ => $"DNS: lookup of {host} failed: {ex.Message}",
    };

    private static string Describe(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "refused",
        SocketError.NetworkUnreachable => "failed: network unreachable",
        SocketError.HostUnreachable => "failed: host unreachable",
        SocketError.TimedOut => "got no answer before the system gave up",
        _ => $"failed: {ex.Message}",
    };
}
