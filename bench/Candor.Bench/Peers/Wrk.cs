using System.Globalization;
using System.Text.RegularExpressions;

namespace Candor.Bench.Peers;

/// <param name="Errors">Socket errors and responses other than 2xx or 3xx: a rate that includes them is not one.</param>
/// <param name="ErrorLines">wrk's own lines that count them, which say of what kind they were.</param>
/// <param name="Requests">The requests answered in the measured run.</param>
/// <param name="ServerCpu">What the server's processes used during the measured run, where they were named.</param>
internal sealed record WrkResult(double RequestsPerSecond, TimeSpan P99, long Errors, string ErrorLines, long Requests, CpuTime? ServerCpu)
{
    /// <summary>The server's CPU time per request, user + kernel, in microseconds.</summary>
    public string CpuPerRequest => ServerCpu is { } cpu ? cpu.PerRequest(Requests) : "not measured";

    /// <summary>
    /// Runs of one server taken as one: the rate over all their requests and all their time, the highest of their
    /// p99s, every error, and the CPU of all of them where each was measured.
    /// </summary>
    public static WrkResult Combine(IReadOnlyList<WrkResult> runs)
    {
        var requests = runs.Sum(run => run.Requests);
        var cpu = runs.All(run => run.ServerCpu is not null) ? runs.Aggregate(default(CpuTime), (sum, run) => sum + run.ServerCpu!.Value) : (CpuTime?)null;
        return new WrkResult(
            requests / runs.Sum(run => run.Requests / run.RequestsPerSecond),
            runs.Max(run => run.P99),
            runs.Sum(run => run.Errors),
            string.Join("; ", runs.Select(run => run.ErrorLines).Where(lines => lines.Length > 0)),
            requests,
            cpu);
    }
}

/// <summary>wrk, the HTTP load generator: two threads and 64 connections, as the issue fixes it.</summary>
internal static partial class Wrk
{
    /// <param name="warmup">How long the same load runs first, unmeasured; none when zero.</param>
    /// <param name="serverCpu">Reads the CPU time of the server's processes, before and after the measured run.</param>
    public static async Task<WrkResult> RunAsync(
        Uri url, TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken, Func<CpuTime>? serverCpu = null)
    {
        if (warmup > TimeSpan.Zero)
        {
            await ChildProcess.RunAsync("wrk", ["-t2", "-c64", $"-d{Seconds(warmup)}s", url.ToString()], cancellationToken);
        }

        var cpuBefore = serverCpu?.Invoke();
        var output = await ChildProcess.RunAsync(
            "wrk", ["-t2", "-c64", $"-d{Seconds(duration)}s", "--latency", url.ToString()], cancellationToken);
        var cpu = serverCpu?.Invoke() - cpuBefore;
        var rate = RequestsPerSecond().Match(output);
        var p99 = Percentile99().Match(output);
        var requests = RequestCount().Match(output);
        if (!rate.Success || !p99.Success || !requests.Success)
        {
            throw new InvalidOperationException($"wrk printed no rate, no 99th percentile or no count:\n{output}");
        }

        long errors = 0;
        var lines = new List<string>();
        foreach (Match match in SocketErrors().Matches(output))
        {
            errors += match.Groups.Cast<Group>().Skip(1).Sum(group => long.Parse(group.Value, CultureInfo.InvariantCulture));
            lines.Add(match.Value);
        }

        if (Non2xx().Match(output) is { Success: true } non2xx)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
            lines.Add(non2xx.Value);
        }

        return new WrkResult(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            Latency(p99.Groups[1].Value, p99.Groups[2].Value),
            errors,
            string.Join("; ", lines),
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            cpu);
    }

    /// <summary>wrk takes whole seconds, at least one.</summary>
    private static string Seconds(TimeSpan duration) =>
        Math.Max(1, (int)Math.Round(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static TimeSpan Latency(string number, string unit)
    {
        var value = double.Parse(number, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => throw new InvalidOperationException($"wrk printed a latency in an unknown unit: {number}{unit}"),
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+(\d+) requests in ", RegexOptions.Multiline)]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"^\s+99%\s+([0-9.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentile99();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}
