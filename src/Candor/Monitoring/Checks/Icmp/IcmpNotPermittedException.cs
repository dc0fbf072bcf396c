using System.Net.Sockets;

namespace Candor.Monitoring.Checks.Icmp;

/// <summary>The process may not open raw sockets, so it cannot send ICMP at all.</summary>
public sealed class IcmpNotPermittedException(SocketException inner)
    : Exception("ICMP needs raw sockets: run as root or grant CAP_NET_RAW", inner);
