using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Monitoring.Conditions;

namespace Candor.Tests.Network;

/// <summary>Runs one check once, as the runner does, and judges what it saw by the monitor's conditions.</summary>
internal static class Probes
{
    public static MonitorConfig Monitor(string type, string target, object settings, string[]? conditions = null, string[]? degradedWhen = null) => new()
    {
        Id = $"{type}-probe",
        Component = "web",
        Type = type,
        Target = target,
        Settings = settings,
        Conditions = [.. (conditions ?? []).Select(ConditionParser.Parse)],
        DegradedWhen = [.. (degradedWhen ?? []).Select(ConditionParser.Parse)],
    };

    public static async Task<Observation> RunAsync(MonitorConfig monitor, TimeProvider? clock = null)
    {
        var check = (ICheck)Activator.CreateInstance(CheckCatalog.Find(monitor.Type)!.CheckType)!;
        using var timeout = new CancellationTokenSource(monitor.Timeout);
        return await check.RunAsync(monitor, new CheckContext(LocationConfig.Local, clock ?? TimeProvider.System), timeout.Token);
    }

    public static Task<Observation> TlsAsync(int port, TlsSettings settings, TimeProvider? clock = null) =>
        RunAsync(Monitor("tls", $"127.0.0.1:{port}", settings), clock);

    /// <summary>The monitor's own conditions, or its type's defaults when it has none, as <see cref="CheckRunner"/> applies them.</summary>
    public static CheckResult Judge(MonitorConfig monitor, Observation observation)
    {
        var conditions = monitor.Conditions.Count > 0 ? monitor.Conditions : CheckCatalog.Find(monitor.Type)!.DefaultConditions;
        return CheckRunner.Judge(monitor, conditions, LocationConfig.Local, DateTimeOffset.UtcNow, observation.ResponseTime, observation);
    }
}
