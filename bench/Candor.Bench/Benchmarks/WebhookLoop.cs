using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Candor.Bench.Peers;

namespace Candor.Bench.Benchmarks;

/// <summary>
/// B4's webhook baseline: one HttpClient posting a body of the same size to the same receiver, in a process of its
/// own (this program again, started with <see cref="Verb"/>), as Candor is one and as the mail baseline, smtplib, is
/// one. Run inside the suite's process it shared that process with the receiver, which let its posts and the
/// receiver's answers meet on threads that were already awake: four at a time it reached 17,000-24,000 posts/s there
/// against 11,000-18,000/s from a process of its own.
/// </summary>
internal static class WebhookLoop
{
    public const string Verb = "--post-loop";

    /// <summary>Rounds of posts: the first, unmeasured, compiles the loop's own code before the second is timed.</summary>
    private const int Rounds = 2;

    /// <returns>Posts per second on the measured round.</returns>
    public static async Task<double> RunAsync(Uri receiver, int count, int size, int lanes, CancellationToken cancellationToken)
    {
        var output = await ChildProcess.RunAsync(
            "dotnet",
            [typeof(WebhookLoop).Assembly.Location, Verb, receiver.ToString(), Text(count), Text(size), Text(lanes)],
            cancellationToken);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return double.TryParse(last, CultureInfo.InvariantCulture, out var rate)
            ? rate
            : throw new InvalidOperationException($"the webhook loop printed no rate:\n{output}");
    }

    /// <summary>The child's side: <c>--post-loop RECEIVER COUNT SIZE LANES</c>; prints the measured round's posts/s.</summary>
    public static async Task<int> MainAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 4
            || !Uri.TryCreate(args[0], UriKind.Absolute, out var receiver)
            || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var count)
            || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var size)
            || !int.TryParse(args[3], CultureInfo.InvariantCulture, out var lanes))
        {
            await Console.Error.WriteLineAsync($"usage: Candor.Bench {Verb} RECEIVER COUNT SIZE LANES");
            return 2;
        }

        var rate = 0.0;
        for (var round = 0; round < Rounds; round++)
        {
            rate = await PostAsync(receiver, "baseline", count, size, lanes, CancellationToken.None);
        }

        Console.WriteLine(rate.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Posts <paramref name="count"/> bodies of <paramref name="size"/> bytes, <paramref name="lanes"/> at a time.</summary>
    /// <returns>Posts per second.</returns>
    public static async Task<double> PostAsync(Uri receiver, string path, int count, int size, int lanes, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('x', Math.Max(0, size - 14)) + "\"}");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                using var response = await client.PostAsync(new Uri(receiver, $"{path}/{i}"), content, cancellationToken);
                response.EnsureSuccessStatusCode();
            }
        }));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
