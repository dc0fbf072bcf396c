using Candor.Configuration;
using Candor.Storage;

namespace Candor.Monitoring.Checks;

/// <summary>
/// Applies <see cref="HeartbeatRule"/> to the pings and mail probes the store holds; the job itself is never contacted.
/// </summary>
public sealed class HeartbeatCheck(ICandorStore store) : Check<HeartbeatSettings>
{
    protected override async Task<Observation> RunAsync(
        MonitorConfig monitor, HeartbeatSettings settings, CheckContext context, CancellationToken cancellationToken)
    {
        var started = context.Clock.GetTimestamp();
        try
        {
            var record = await store.GetMonitorAsync(monitor.Id, cancellationToken);
            if (record is null)
            {
                return Observation.Failed(
                    ErrorKind.Internal, $"monitor '{monitor.Id}' is not registered in the store yet", context.Clock.GetElapsedTime(started));
            }

            var now = context.Clock.GetUtcNow();
            var pings = await store.GetLatestPingsAsync(monitor.Id, cancellationToken);
            var dueProbe = await store.GetLatestDueMailProbeAsync(monitor.Id, now, cancellationToken);
            return HeartbeatRule.Evaluate(settings, pings, record.FirstSeenAt, now, dueProbe);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Observation.Failed(
                ErrorKind.Timeout,
                $"timed out after {Duration.Format(monitor.Timeout)} reading the pings from the store",
                context.Clock.GetElapsedTime(started));
        }
    }
}
