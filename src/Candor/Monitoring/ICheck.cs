using Candor.Configuration;

namespace Candor.Monitoring;

/// <summary>Where and when a check runs; the clock is the only time source a check may use.</summary>
public sealed record CheckContext(string LocationId, TimeProvider Clock);

/// <summary>
/// One check type (http, tcp, heartbeat, ...). A check probes once and reports what it saw; it never retries,
/// because a retry hides the very outage the probe exists to see. Conditions are applied by the caller.
/// </summary>
public interface ICheck
{
    /// <param name="cancellationToken">Cancelled when the monitor's timeout passes or the server stops.</param>
    Task<Observation> RunAsync(MonitorConfig monitor, CheckContext context, CancellationToken cancellationToken);
}

/// <summary>Base for checks with a typed settings record bound from the monitor's own keys.</summary>
public abstract class Check<TSettings> : ICheck
    where TSettings : class
{
    public Task<Observation> RunAsync(MonitorConfig monitor, CheckContext context, CancellationToken cancellationToken) =>
        RunAsync(monitor, (TSettings)monitor.Settings, context, cancellationToken);

    protected abstract Task<Observation> RunAsync(
        MonitorConfig monitor, TSettings settings, CheckContext context, CancellationToken cancellationToken);
}
