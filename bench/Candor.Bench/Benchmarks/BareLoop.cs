using Candor.Bench.Peers;

namespace Candor.Bench.Benchmarks;

/// <summary>What one run of the bare loop did: its rate, and the CPU time it and the server took for it.</summary>
internal sealed record BareLoopRun(double Rate, long Requests, CpuTime Client, CpuTime Server, double MachineBusy);

/// <summary>
/// B1's baseline: the same GET as a check makes, in a bare loop with one HttpClient, no persistence and nothing
/// else, on a new connection every time, as a probe that measures connect time must. 64 at once, which saturates
/// this machine; the rate is what the machine allows for this kind of request. It runs in this process, which does
/// nothing else meanwhile, so the process's CPU time is the loop's.
/// </summary>
internal static class BareLoop
{
    private const int Concurrency = 64;

    /// <param name="server">The CPU time of the server the requests go to, so far.</param>
    public static async Task<BareLoopRun> RunAsync(Uri target, TimeSpan duration, Func<CpuTime> server, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        await LoopAsync(client, target, duration / 5, cancellationToken);
        var (machine, own, served) = (MachineLoad.Now(), CpuTime.OfThisProcess(), server());
        var started = TimeProvider.System.GetTimestamp();
        var count = await LoopAsync(client, target, duration, cancellationToken);
        return new BareLoopRun(
            count / TimeProvider.System.GetElapsedTime(started).TotalSeconds,
            count,
            CpuTime.OfThisProcess() - own,
            server() - served,
            MachineLoad.Now().BusySince(machine));
    }

    private static async Task<long> LoopAsync(HttpClient client, Uri target, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        long count = 0;
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, target);
                request.Headers.ConnectionClose = true;
                try
                {
                    using var response = await client.SendAsync(request, stop.Token);
                    await response.Content.ReadAsByteArrayAsync(stop.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref count);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        });
        await Task.WhenAll(workers);
        cancellationToken.ThrowIfCancellationRequested();
        return count;
    }
}
