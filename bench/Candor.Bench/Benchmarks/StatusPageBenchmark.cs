using System.Globalization;
using System.Text;
using Candor.Bench.Peers;
using Candor.Bench.Suite;
using Candor.Storage;

namespace Candor.Bench.Benchmarks;

/// <summary>
/// B2: `/api/v2/summary.json` and `/` under wrk, with 50 components and 5 open incidents, against nginx serving
/// the very bytes Candor served, from disk, and a bare Kestrel serving them from memory; or, as a run of its own, the
/// same while the same process runs 1,000 checks a second. The two are apart so that each has the time a benchmark
/// is given, as each starts a server of its own on a store of its own.
/// </summary>
/// <param name="underChecks">Whether this is the run under checks.</param>
internal sealed class StatusPageBenchmark(bool underChecks) : IBenchmark
{
    private const int Components = 50;
    private const int Incidents = 5;
    private const string Json = "api/v2/summary.json";

    /// <summary>
    /// The quiet rows' targets are shares of nginx's own rate, which alone ranged from 47,038/s to 59,482/s over eight
    /// single runs of the same suite: Candor and nginx take turns, this many runs each, so that what the machine does in
    /// one stretch weighs on both alike.
    /// </summary>
    private const int Rounds = 2;

    private static readonly TimeSpan PageMonitorInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LoadInterval = TimeSpan.FromSeconds(1);

    public string Id => "B2";

    public string Name => underChecks ? "B2 under checks" : "B2";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var nginx = await context.NginxAsync(cancellationToken);
        await nginx.PublishAsync("probe.txt", "ok\n"u8.ToArray(), cancellationToken);
        var name = underChecks ? "b2-busy" : "b2";
        var folder = context.NewFolder(name);
        var storage = await context.NewStorageAsync(StoreKind.Sqlite, name, cancellationToken);
        string token;
        await using (var store = StoreFactory.Create(storage))
        {
            token = await CandorApi.CreateTokenAsync(store, cancellationToken);
        }

        var load = underChecks ? context.Scale.B2LoadMonitors : 0;
        var config = Path.Combine(folder, "candor.yaml");
        await File.WriteAllTextAsync(config, Config(storage, nginx.Url("probe.txt"), load), cancellationToken);
        return underChecks
            ? await UnderChecksAsync(context, nginx, config, folder, storage, token, load, cancellationToken)
            : await QuietAsync(context, nginx, config, folder, token, cancellationToken);
    }

    private async Task<IReadOnlyList<BenchRow>> QuietAsync(
        BenchContext context, Nginx nginx, string config, string folder, string token, CancellationToken cancellationToken)
    {
        var scale = context.Scale;
        Pair json, html;
        await using (var bare = await BareKestrel.StartAsync(cancellationToken))
        await using (var candor = await context.StartCandorAsync(config, folder, cancellationToken))
        {
            await ReadyAsync(candor, token, Components, cancellationToken);
            json = await CompareAsync(candor, nginx, bare, Json, "quiet/summary.json", scale, cancellationToken);
            html = await CompareAsync(candor, nginx, bare, "", "quiet/index.html", scale, cancellationToken);
            await candor.StopAsync();
        }

        json.ThrowOnBaselineErrors();
        html.ThrowOnBaselineErrors();
        return
        [
            Rate("summary.json req/s", json, Target.AtLeastShareOfBaseline(1.0), $"{json.Bytes:N0} bytes; wrk -t2 -c64 -d{scale.WrkDuration.TotalSeconds:0}s after {scale.WrkWarmup.TotalSeconds:0} s of the same load, unmeasured, before each server's first run; {RoundsNote(json)}{BareNote(json)}{CpuNote(json)}"),
            P99("summary.json p99", json),
            Rate("/ req/s", html, Target.AtLeastShareOfBaseline(0.8), $"{html.Bytes:N0} bytes; {RoundsNote(html)}{BareNote(html)}{CpuNote(html)}"),
            P99("/ p99", html),
        ];
    }

    private async Task<IReadOnlyList<BenchRow>> UnderChecksAsync(
        BenchContext context, Nginx nginx, string config, string folder, string storage, string token, int load, CancellationToken cancellationToken)
    {
        var scale = context.Scale;
        Pair json, html;
        double checksPerSecond;
        await using (var candor = await context.StartCandorAsync(config, folder, cancellationToken))
        {
            await ReadyAsync(candor, token, Components + load, cancellationToken);
            var from = DateTimeOffset.UtcNow;
            json = await CandorOnlyAsync(candor, nginx, Json, "busy/summary.json", scale, cancellationToken);
            html = await CandorOnlyAsync(candor, nginx, "", "busy/index.html", scale, cancellationToken);
            var to = DateTimeOffset.UtcNow;
            await candor.StopAsync();
            checksPerSecond = await CountResultsAsync(storage, from, to, cancellationToken) / (to - from).TotalSeconds;
        }

        // nginx is measured on the bytes the busy server served once the server is gone, as it was for the quiet run.
        json = json with { Nginx = await Wrk.RunAsync(nginx.Url("b2/busy/summary.json"), scale.WrkDuration, scale.WrkWarmup, cancellationToken) };
        html = html with { Nginx = await Wrk.RunAsync(nginx.Url("b2/busy/index.html"), scale.WrkDuration, scale.WrkWarmup, cancellationToken) };
        json.ThrowOnBaselineErrors();
        html.ThrowOnBaselineErrors();
        var busy = $"while {checksPerSecond:N0} checks/s ran in the same process ({load:N0} monitors every {LoadInterval.TotalSeconds:0} s)";
        return
        [
            Rate("summary.json req/s under checks", json, Target.AtLeastShareOfBaseline(0.5), $"{busy}; {Tail(json)}"),
            Rate("/ req/s under checks", html, Target.AtLeastShareOfBaseline(0.5), $"{html.Bytes:N0} bytes; {busy}; {Tail(html)}"),
        ];
    }

    /// <summary>Every monitor up and the incidents open, as the page is measured with them.</summary>
    private static async Task ReadyAsync(CandorServer candor, string token, int monitors, CancellationToken cancellationToken)
    {
        using var api = new CandorApi(candor.BaseAddress, token);
        await WaitUntilAllUpAsync(api, monitors, cancellationToken);
        for (var i = 1; i <= Incidents; i++)
        {
            await api.CreateIncidentAsync($"Slow responses on Component {i:00}", [$"c{i:00}"], cancellationToken);
        }

        await WaitForIncidentsAsync(candor.BaseAddress, cancellationToken);
    }

    /// <summary>
    /// Requests that failed or timed out (after wrk's 2 s) make the rate short whatever it is, and the note says how
    /// many: the other figures of the run still stand.
    /// </summary>
    private BenchRow Rate(string figure, Pair pair, Target target, string note) =>
        new(Id, figure, new Measure(pair.Candor.RequestsPerSecond, "/s"), new Measure(pair.Nginx!.RequestsPerSecond, "/s"),
            Answered(target, pair), AnsweredNote(note, pair));

    private static Target Answered(Target target, Pair pair) =>
        pair.Candor.Errors == 0 ? target : new Target(target.Text + ", every request answered", (_, _) => false);

    private static string? AnsweredNote(string? note, Pair pair) =>
        pair.Candor.Errors == 0 ? note : $"{note}{(note is null ? "" : "; ")}Candor failed {pair.Candor.Errors:N0} requests ({pair.Candor.ErrorLines})";

    /// <summary>The tail under checks, which has no row of its own: nginx's is measured without them.</summary>
    private static string Tail(Pair pair) =>
        $"p99 {pair.Candor.P99.TotalMilliseconds:N1} ms, nginx's {pair.Nginx!.P99.TotalMilliseconds:N1} ms";

    /// <summary>Where .NET itself stands against nginx for these bytes: the part of the gap that is not Candor's.</summary>
    private static string BareNote(Pair pair) => pair.Bare is not { } bare
        ? ""
        : $"a bare Kestrel serving the same bytes from memory, in the first round: {bare.RequestsPerSecond:N0}/s ({bare.RequestsPerSecond / pair.Nginx!.RequestsPerSecond:P0} of nginx), p99 {bare.P99.TotalMilliseconds:0.0} ms; ";

    /// <summary>
    /// The CPU each server spent on a request, in its own code and in the kernel apart: Candor's own cost is what it
    /// spends beyond the bare Kestrel's.
    /// </summary>
    private static string CpuNote(Pair pair) =>
        $"CPU per request, user + kernel: Candor {pair.Candor.CpuPerRequest}, "
        + (pair.Bare is { } bare ? $"the bare Kestrel {bare.CpuPerRequest}, " : "")
        + $"nginx {pair.Nginx!.CpuPerRequest}";

    /// <summary>Each round's rates, so that the spread the combined figure hides shows.</summary>
    private static string RoundsNote(Pair pair) => pair.Rounds.Count < 2
        ? ""
        : $"{pair.Rounds.Count} rounds of a run each, in turn, rates over all of them; Candor and nginx by round: "
          + string.Join(", ", pair.Rounds.Select(r => $"{r.Candor:N0}/s and {r.Nginx:N0}/s ({r.Candor / r.Nginx:0.00}×)"))
          + "; p99 the higher of the rounds'; ";

    private BenchRow P99(string figure, Pair pair) =>
        new(Id, figure, new Measure(pair.Candor.P99.TotalMilliseconds, "ms"), new Measure(pair.Nginx!.P99.TotalMilliseconds, "ms"),
            Answered(Target.AtMostTimesBaseline(2), pair), AnsweredNote(null, pair));

    /// <summary>
    /// Fetches what Candor serves at the path, gives the same bytes to nginx and to the bare Kestrel, and loads them in
    /// turn, round after round. Only each server's first run follows the unmeasured load: it is warm after that. The
    /// bare Kestrel runs in the first round only.
    /// </summary>
    private static async Task<Pair> CompareAsync(
        CandorServer candor, Nginx nginx, BareKestrel bare, string path, string copy, BenchScale scale, CancellationToken cancellationToken)
    {
        var bytes = await PublishAsync(candor, nginx, path, copy, cancellationToken);
        bare.Serve(bytes, path.EndsWith(".json", StringComparison.Ordinal) ? "application/json; charset=utf-8" : "text/html; charset=utf-8");
        List<WrkResult> candorRuns = [], nginxRuns = [];
        WrkResult? bareRun = null;
        for (var round = 0; round < Rounds; round++)
        {
            var warmup = round == 0 ? scale.WrkWarmup : TimeSpan.Zero;
            candorRuns.Add(await Wrk.RunAsync(new Uri(candor.BaseAddress, path), scale.WrkDuration, warmup, cancellationToken, candor.Cpu));
            nginxRuns.Add(await Wrk.RunAsync(nginx.Url("b2/" + copy), scale.WrkDuration, warmup, cancellationToken, nginx.Cpu));
            if (round == 0)
            {
                // The bare Kestrel runs in this process, which does nothing else while wrk loads it.
                bareRun = await Wrk.RunAsync(bare.Url, scale.WrkDuration, warmup, cancellationToken, CpuTime.OfThisProcess);
            }
        }

        return new Pair(bytes.Length, WrkResult.Combine(candorRuns), WrkResult.Combine(nginxRuns), bareRun)
        {
            Rounds = [.. candorRuns.Zip(nginxRuns, (c, n) => (c.RequestsPerSecond, n.RequestsPerSecond))],
        };
    }

    private static async Task<Pair> CandorOnlyAsync(
        CandorServer candor, Nginx nginx, string path, string copy, BenchScale scale, CancellationToken cancellationToken)
    {
        var bytes = await PublishAsync(candor, nginx, path, copy, cancellationToken);
        var served = await Wrk.RunAsync(new Uri(candor.BaseAddress, path), scale.WrkDuration, scale.WrkWarmup, cancellationToken, candor.Cpu);
        return new Pair(bytes.Length, served, null);
    }

    /// <summary>What Candor serves at the path, written to nginx's folder as the copy nginx is measured on.</summary>
    private static async Task<byte[]> PublishAsync(CandorServer candor, Nginx nginx, string path, string copy, CancellationToken cancellationToken)
    {
        // No Accept-Encoding, as wrk sends none: both serve the identity bytes.
        using var http = new HttpClient { BaseAddress = candor.BaseAddress };
        var bytes = await http.GetByteArrayAsync(path, cancellationToken);
        await nginx.PublishAsync("b2/" + copy, bytes, cancellationToken);
        return bytes;
    }

    /// <summary>Until every monitor has a result, the page shows unknowns that a live page would not.</summary>
    private static async Task WaitUntilAllUpAsync(CandorApi api, int monitors, CancellationToken cancellationToken)
    {
        while ((await api.MonitorStatusesAsync(cancellationToken)).Values.Count(status => status == "up") < monitors)
        {
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>The public snapshot is rebuilt after a change; the copy for nginx must be taken after that.</summary>
    private static async Task WaitForIncidentsAsync(Uri candor, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = candor };
        while (true)
        {
            using var summary = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(Json, cancellationToken));
            if (summary.RootElement.GetProperty("incidents").GetArrayLength() == Incidents)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<long> CountResultsAsync(string storage, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await BenchContext.OpenAsync(storage, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT COUNT(*) FROM check_results WHERE started_at >= {from.ToUnixTimeMilliseconds()} AND started_at < {to.ToUnixTimeMilliseconds()}");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static string Config(string storage, Uri probe, int loadMonitors)
    {
        var url = ConfigText.Quote(probe.ToString());
        var yaml = new StringBuilder();
        yaml.AppendLine("page: { name: Acme Status, url: 'https://status.acme.example' }");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"storage: {ConfigText.Quote(storage)}");
        yaml.AppendLine("components:");
        for (var c = 1; c <= Components; c++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture,
                $"  - {{ id: c{c:00}, name: Component {c:00}, description: 'Part {c} of the service', group: Group {(c - 1) / 10 + 1} }}");
        }

        yaml.AppendLine("monitors:");
        for (var c = 1; c <= Components; c++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture,
                $"  - {{ id: page-{c:00}, component: c{c:00}, type: http, target: {url}, interval: {ConfigText.Duration(PageMonitorInterval)}, timeout: 1s }}");
        }

        for (var m = 0; m < loadMonitors; m++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture,
                $"  - {{ id: load-{m:0000}, component: c{(m % Components) + 1:00}, type: http, target: {url}, interval: {ConfigText.Duration(LoadInterval)}, timeout: 1s }}");
        }

        return yaml.ToString();
    }

    /// <param name="Bytes">The size of the body both served.</param>
    /// <param name="Bare">A bare Kestrel serving the same bytes from memory, where it was measured.</param>
    private sealed record Pair(int Bytes, WrkResult Candor, WrkResult? Nginx, WrkResult? Bare = null)
    {
        /// <summary>Candor's and nginx's rate in each round, where they took turns more than once.</summary>
        public IReadOnlyList<(double Candor, double Nginx)> Rounds { get; init; } = [];

        /// <summary>Errors of a baseline mean the machine, not Candor, failed the run.</summary>
        public void ThrowOnBaselineErrors()
        {
            if (Nginx?.Errors > 0 || Bare?.Errors > 0)
            {
                throw new InvalidOperationException(
                    $"wrk saw errors of a baseline: nginx {Nginx?.Errors} ({Nginx?.ErrorLines}), bare Kestrel {Bare?.Errors} ({Bare?.ErrorLines})");
            }
        }
    }
}
