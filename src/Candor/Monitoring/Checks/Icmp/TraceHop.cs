using System.Globalization;
using System.Net;
using Candor.Configuration;

namespace Candor.Monitoring.Checks.Icmp;

/// <summary>One hop of a traceroute: who answered at this TTL, and how fast; both null when nobody did (`*`).</summary>
public sealed record TraceHop(int Ttl, IPAddress? Address, TimeSpan? RoundTrip)
{
    /// <summary>As traceroute prints it: <c> 1  10.0.0.1  0.4ms</c>, or <c> 2  *</c>.</summary>
    public override string ToString()
    {
        var ttl = Ttl.ToString(CultureInfo.InvariantCulture).PadLeft(2);
        return Address is null ? $"{ttl}  *" : $"{ttl}  {Address}  {Duration.Format(RoundTrip ?? TimeSpan.Zero)}";
    }
}
