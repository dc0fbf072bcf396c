namespace Candor.Monitoring.Checks;

/// <summary>
/// Runs the steps of an http monitor in order, each request on a connection of its own, putting the values that
/// earlier responses gave into later requests. The first step whose request fails, whose conditions do not hold or
/// whose capture finds nothing fails the check, named: <c>step 2 (POST /login): status (401) == 200</c>. Otherwise
/// the check reports the last response (status, headers, body, certificate expiry) for the monitor's conditions;
/// its `response_time` and phase timings are those of the whole transaction, as a user going through it would wait.
/// </summary>
internal sealed class HttpTransaction(HttpSettings settings, TimeProvider clock)
{
    public async Task<Observation> RunAsync(Uri target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var timings = PhaseTimings.None;
        Observation? last = null;
        for (var i = 0; i < settings.Steps.Count; i++)
        {
            var step = settings.Steps[i];
            var observation = await SendAsync(step, target, variables, timeout, cancellationToken);
            timings = Add(timings, observation.Timings);
            var conditions = step.Conditions.Count > 0 ? step.Conditions : HttpSettings.DefaultConditions;
            var problem = observation.Failure is { } failure
                ? (failure, observation.FailureMessage ?? "")
                : CheckRunner.Unmet(conditions, observation) ?? Capture(step, observation, variables);
            if (problem is var (kind, message))
            {
                return Observation.Failed(kind, $"step {i + 1} ({step.Label}): {message}", clock.GetElapsedTime(started), timings);
            }

            last = observation;
        }

        var total = clock.GetElapsedTime(started);
        var facts = new Dictionary<string, object>(last!.Facts, StringComparer.Ordinal) { ["response_time"] = total };
        return new Observation { Facts = facts, Headers = last.Headers, Body = last.Body, ResponseTime = total, Timings = timings };
    }

    private Task<Observation> SendAsync(
        HttpStep step, Uri target, IReadOnlyDictionary<string, string> variables, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = HttpStep.Substitute(step.Path ?? step.Url!, variables);
        var uri = step.Path is not null ? new Uri(target, address) : Uri.TryCreate(address, UriKind.Absolute, out var absolute) ? absolute : null;
        if (uri is null || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return Task.FromResult(Observation.Failed(
                ErrorKind.Assertion, $"the url came to '{address}', which is not an http or https URL", TimeSpan.Zero));
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in settings.Headers)
        {
            headers[name] = value;
        }

        foreach (var (name, value) in step.Headers)
        {
            headers[name] = HttpStep.Substitute(value, variables);
        }

        var request = settings with
        {
            Method = step.Method,
            Headers = headers,
            Body = step.Body is null ? null : HttpStep.Substitute(step.Body, variables),
            Steps = [],
        };
        return HttpCheck.SendAsync(request, uri, timeout, clock, cancellationToken);
    }

    /// <returns>Null when every capture found its value; otherwise the failure.</returns>
    private static (ErrorKind, string)? Capture(HttpStep step, Observation observation, Dictionary<string, string> variables)
    {
        foreach (var (name, capture) in step.Capture)
        {
            if (capture.Take(observation, out var problem) is not { } value)
            {
                return (ErrorKind.Assertion, $"nothing to capture as {name}: {problem}");
            }

            variables[name] = value;
        }

        return null;
    }

    private static PhaseTimings Add(PhaseTimings sum, PhaseTimings step) => new(
        Add(sum.Dns, step.Dns), Add(sum.Connect, step.Connect), Add(sum.Tls, step.Tls), Add(sum.FirstByte, step.FirstByte));

    private static TimeSpan? Add(TimeSpan? sum, TimeSpan? step) => sum is null && step is null ? null : (sum ?? TimeSpan.Zero) + (step ?? TimeSpan.Zero);
}
