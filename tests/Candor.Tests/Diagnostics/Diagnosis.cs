using System.Net;
using System.Text.Json;
using Candor.Configuration;
using Candor.Diagnostics;
using Candor.Monitoring;

namespace Candor.Tests.Diagnostics;

/// <summary>Runs the diagnostic collector on one monitor, written as its YAML, as the worker runs it after an outage.</summary>
internal static class Diagnosis
{
    public static MonitorConfig Monitor(string yaml)
    {
        var loaded = ConfigLoader.LoadText(
            $"components: [ {{ id: web, name: Website }} ]\nmonitors:\n  - {yaml}\n", "test.yaml", _ => null);
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        return loaded.Config!.Monitors[0];
    }

    /// <summary>A failed result as the check would have given it; the collector reads its id, location and message.</summary>
    public static CheckResult Failure(MonitorConfig monitor, string message, ErrorKind kind, string location = "local") =>
        new(Guid.CreateVersion7(), monitor.Id, location, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(5), Outcome.Down, kind, message, PhaseTimings.None);

    public static async Task<DiagnosticBundle> CollectAsync(
        string yaml, string message, ErrorKind kind, IPEndPoint? resolver = null, ITracerouteRunner? traceroute = null)
    {
        var monitor = Monitor(yaml);
        var collector = new DiagnosticCollector(new DiagnosticsOptions { Resolver = resolver }, traceroute ?? new IcmpTracerouteRunner(TimeProvider.System), TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var bundle = await collector.CollectAsync(monitor, Failure(monitor, message, kind), timeout.Token);
        Assert.NotNull(bundle);
        return bundle;
    }

    /// <summary>The bundle as it is stored and served.</summary>
    public static JsonElement Json(DiagnosticBundle bundle) => JsonDocument.Parse(bundle.ToJson()).RootElement;
}
