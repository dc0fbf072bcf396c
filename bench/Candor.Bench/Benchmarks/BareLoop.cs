namespace Candor.Bench.Benchmarks;

/// <summary>
/// B1's baseline: the same GET as a check makes, in a bare loop with one HttpClient, no persistence and nothing
/// else, on a new connection every time, as a probe that measures connect time must. 64 at once, which saturates
/// this machine; the rate is what the machine allows for this kind of request.
/// </summary>
internal static class BareLoop
{
    private const int Concurrency = 64;

    public static async Task<double> RequestsPerSecondAsync(Uri target, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        await RunAsync(client, target, duration / 5, cancellationToken);
        var started = TimeProvider.System.GetTimestamp();
        var count = await RunAsync(client, target, duration, cancellationToken);
        return count / TimeProvider.System.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<long> RunAsync(HttpClient client, Uri target, TimeSpan duration, CancellationToken cancellationToken)
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
