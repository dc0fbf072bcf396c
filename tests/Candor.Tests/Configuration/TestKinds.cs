using Candor.Configuration;
using Candor.Monitoring;

namespace Candor.Tests.Configuration;

/// <summary>Check kinds of the tests' own, so that the loader is tested apart from the real check types.</summary>
internal static class TestKinds
{
    public static IReadOnlyList<CheckKind> All { get; } =
    [
        CheckKind.Of<IdleCheck, WebSettings>("http", "status", "body", "header", "json", "response_time", "cert_expires_in"),
        CheckKind.Of<IdleCheck, PortSettings>("tcp", "connect_time", "response_time"),
        CheckKind.Of<IdleCheck, DeadlineSettings>("heartbeat"),
        CheckKind.Of<IdleCheck, LookupSettings>("dns", "answers", "rcode", "response_time"),
    ];

    /// <summary>Loads a config with the test kinds and no variables.</summary>
    public static ConfigLoadResult Load(string yaml) => ConfigLoader.LoadText(yaml, "candor.yaml", _ => null, All);
}

internal sealed class IdleCheck : ICheck
{
    public Task<Observation> RunAsync(MonitorConfig monitor, CheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new Observation());
}

internal sealed record WebSettings : IValidatableConfig
{
    public string Method { get; init; } = "GET";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public bool FollowRedirects { get; init; } = true;

    public double MaxBodyKb { get; init; } = 512;

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        if (Method is not ("GET" or "HEAD" or "POST"))
        {
            yield return new ConfigProblem("method", $"'{Method}' is not a method: use GET, HEAD or POST");
        }

        if (monitor is { Target: null })
        {
            yield return new ConfigProblem(null, $"http monitor '{monitor.Id}' needs a target");
        }
    }
}

internal sealed record PortSettings;

internal sealed record DeadlineSettings
{
    public TimeSpan Every { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(1);
}

internal sealed record LookupSettings
{
    public string RecordType { get; init; } = "A";

    public long? Port { get; init; }

    public IReadOnlyList<string> Servers { get; init; } = [];
}
