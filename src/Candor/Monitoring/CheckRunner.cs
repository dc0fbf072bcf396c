using Candor.Configuration;
using Candor.Monitoring.Conditions;
using Candor.Storage;

namespace Candor.Monitoring;

/// <summary>
/// Runs one check once: enforces the monitor's timeout, turns anything the check throws into a failed result
/// (one broken check must never stop the others), and applies the conditions to what the check saw.
/// </summary>
public sealed class CheckRunner(
    IServiceProvider services, IReadOnlyList<CheckKind> kinds, TimeProvider clock, ILogger<CheckRunner> logger)
{
    private readonly Dictionary<string, (CheckKind Kind, ICheck Check)> _checks = kinds.ToDictionary(
        k => k.Name, k => (k, (ICheck)ActivatorUtilities.CreateInstance(services, k.CheckType)));

    /// <exception cref="OperationCanceledException">The server is stopping; the run has no result.</exception>
    public async Task<CheckResult> RunAsync(MonitorConfig monitor, string locationId, CancellationToken stopping)
    {
        var (kind, check) = _checks[monitor.Type];
        var startedAt = clock.StoredNow();
        var started = clock.GetTimestamp();
        Observation observation;
        using (var timeout = new CancellationTokenSource(monitor.Timeout, clock))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping))
        {
            try
            {
                observation = await check
                    .RunAsync(monitor, new CheckContext(locationId, clock), linked.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                observation = Observation.Failed(
                    ErrorKind.Timeout,
                    $"timed out after {Duration.Format(monitor.Timeout)}",
                    clock.GetElapsedTime(started));
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Check {Monitor} at {Location} threw", monitor.Id, locationId);
                observation = Observation.Failed(
                    ErrorKind.Internal,
                    $"the {monitor.Type} check failed unexpectedly: {exception.Message}",
                    clock.GetElapsedTime(started));
            }
        }

        var conditions = monitor.Conditions.Count > 0 ? monitor.Conditions : kind.DefaultConditions;
        return Judge(monitor, conditions, locationId, startedAt, clock.GetElapsedTime(started), observation);
    }

    /// <summary>
    /// Down when the probe failed or a condition does not hold (every failed condition is named, with its
    /// resolved value); degraded when a `degraded_when` condition holds; up otherwise.
    /// </summary>
    public static CheckResult Judge(
        MonitorConfig monitor,
        IReadOnlyList<Condition> conditions,
        string locationId,
        DateTimeOffset startedAt,
        TimeSpan elapsed,
        Observation observation)
    {
        var id = Guid.CreateVersion7(startedAt);
        var duration = observation.ResponseTime > TimeSpan.Zero ? observation.ResponseTime : elapsed;
        CheckResult Result(Outcome outcome, ErrorKind? kind, string? message) =>
            new(id, monitor.Id, locationId, startedAt, duration, outcome, kind, message, observation.Timings);

        if (observation.Failure is { } failure)
        {
            return Result(Outcome.Down, failure, observation.FailureMessage);
        }

        if (Unmet(conditions, observation) is { } unmet)
        {
            return Result(Outcome.Down, unmet.Kind, unmet.Message);
        }

        var degraded = Evaluate(monitor.DegradedWhen, observation).Where(v => v.Verdict.Holds).ToList();
        return degraded.Count > 0
            ? Result(Outcome.Degraded, null, string.Join("; ", degraded.Select(d => d.Verdict.Explanation)))
            : Result(Outcome.Up, null, null);
    }

    /// <summary>
    /// The conditions that do not hold, each named with its resolved value; the kind is `status` when one of them
    /// is about the status. Null when every condition holds.
    /// </summary>
    public static (ErrorKind Kind, string Message)? Unmet(IReadOnlyList<Condition> conditions, Observation observation)
    {
        var failed = Evaluate(conditions, observation).Where(v => !v.Verdict.Holds).ToList();
        if (failed.Count == 0)
        {
            return null;
        }

        var kind = failed.Any(f => f.Condition.Subject == "status") ? ErrorKind.Status : ErrorKind.Assertion;
        return (kind, string.Join("; ", failed.Select(f => f.Verdict.Explanation)));
    }

    private static IEnumerable<(Condition Condition, ConditionVerdict Verdict)> Evaluate(
        IReadOnlyList<Condition> conditions, Observation observation) =>
        conditions.Select(c => (c, c.Evaluate(observation)));
}
