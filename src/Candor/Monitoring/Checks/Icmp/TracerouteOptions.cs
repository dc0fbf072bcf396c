namespace Candor.Monitoring.Checks.Icmp;

public sealed record TracerouteOptions
{
    /// <summary>The highest TTL tried; as in traceroute, 30 covers any path on the internet.</summary>
    public int MaxHops { get; init; } = 30;

    /// <summary>How long to wait for each hop to answer before writing it down as `*`.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(1);
}
