using Candor.Configuration;

namespace Candor.Monitoring.Checks;

/// <summary>The keys of a `heartbeat` monitor: a job that pings `/ping/{token}` when it has done its work.</summary>
public sealed record HeartbeatSettings : IValidatableConfig
{
    /// <summary>Tokens shorter than this could be guessed, and a guessed token lets anyone report a job healthy.</summary>
    internal const int MinTokenLength = 16;

    /// <summary>How often the job pings. Required.</summary>
    public TimeSpan Every { get; init; }

    /// <summary>
    /// How late a ping may be, and how long a job may run after a `start` ping, before the monitor is down.
    /// One minute covers a scheduler's jitter and the ping's way to the server; a job whose run time varies
    /// more than that must say so here.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The secret in the ping URL; when absent the server makes one and keeps it.</summary>
    public string? Token { get; init; }

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (monitor?.Target is not null)
        {
            yield return new ConfigProblem("target", "a heartbeat has no target: the job pings /ping/{token} instead");
        }

        if (Every <= TimeSpan.Zero)
        {
            yield return new ConfigProblem("every", "every is required: how often the job pings, e.g. 5m");
        }

        if (Grace < TimeSpan.Zero)
        {
            yield return new ConfigProblem("grace", "grace must not be negative");
        }

        if (Token is not null
            && (Token.Length < MinTokenLength || !Token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            yield return new ConfigProblem(
                "token", $"a token must be at least {MinTokenLength} letters, digits, '-' or '_', so it fits a URL and cannot be guessed");
        }
    }
}
