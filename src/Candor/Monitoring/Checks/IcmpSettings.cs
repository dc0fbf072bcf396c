using System.Net;
using System.Net.Sockets;
using Candor.Configuration;
using Candor.Monitoring.Checks.Dns;

namespace Candor.Monitoring.Checks;

/// <summary>The keys of an `icmp` monitor; its target is a host name or an IP address, without a port.</summary>
public sealed record IcmpSettings : IValidatableConfig
{
    /// <summary>Closer than this, a target's or a router's ICMP rate limit drops requests, which would read as loss.</summary>
    internal static readonly TimeSpan MinSpacing = TimeSpan.FromMilliseconds(10);

    /// <summary>How many echo requests one run sends; the loss is counted over them.</summary>
    public int Count { get; init; } = 5;

    /// <summary>The time between two requests.</summary>
    public TimeSpan Spacing { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long to wait for each reply before counting the request as lost.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>From the first request to the end of the wait for the last reply.</summary>
    internal TimeSpan RunLength => (Count - 1) * Spacing + Wait;

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (Count < 1)
        {
            yield return new ConfigProblem("count", $"count must be at least 1, not {Count}");
        }

        if (Spacing < MinSpacing)
        {
            yield return new ConfigProblem("spacing", $"spacing must be at least {Duration.Format(MinSpacing)}, not {Duration.Format(Spacing)}");
        }

        if (Wait <= TimeSpan.Zero)
        {
            yield return new ConfigProblem("wait", "wait must be longer than 0s");
        }

        if (monitor is null)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(monitor.Target))
        {
            yield return new ConfigProblem("target", "an icmp monitor needs a target: a host name or IP address, e.g. 192.0.2.1");
        }
        else if (TargetProblem(monitor.Target) is { } problem)
        {
            yield return new ConfigProblem("target", problem);
        }

        // A run cut short by the timeout would say "timed out" where it should say how many replies were lost.
        if (Count >= 1 && Spacing >= MinSpacing && Wait > TimeSpan.Zero && RunLength >= monitor.Timeout)
        {
            yield return new ConfigProblem(
                null,
                $"{Count} requests {Duration.Format(Spacing)} apart and a wait of {Duration.Format(Wait)} take {Duration.Format(RunLength)}, "
                + $"which does not fit in the timeout of {Duration.Format(monitor.Timeout)}");
        }
    }

    private static string? TargetProblem(string target)
    {
        if (IPAddress.TryParse(target, out var address))
        {
            // IPAddress also takes short IPv4 forms ("10.1" is 10.0.0.1); a target is written in full.
            return address.AddressFamily == AddressFamily.InterNetwork && target.Count(c => c == '.') != 3
                ? $"'{target}' is not an IPv4 address written in full, like 192.0.2.1"
                : null;
        }

        if (HostPort.TryParse(target, out var endpoint))
        {
            return $"ICMP has no ports: write the host alone, {endpoint.Host}";
        }

        return DnsName.Problem(target);
    }
}
