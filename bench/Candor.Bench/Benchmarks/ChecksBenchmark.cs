using System.Data.Common;
using System.Globalization;
using System.Text;
using Candor.Bench.Peers;
using Candor.Bench.Suite;
using Candor.Monitoring.Scheduling;

namespace Candor.Bench.Benchmarks;

/// <summary>
/// B1: sustained HTTP checks with every result persisted, one monitor of 100,000 after the other on its slot, each
/// on a new connection, against nginx; then a restart of the same process on the same store.
/// </summary>
/// <remarks>
/// The interval is chosen so that the monitors ask for <see cref="BenchOptions.B1Load"/> of the bare loop's rate.
/// What was persisted is read back from the store afterwards: the rate is the results that started within whole
/// intervals after a warm-up; a check's lateness is how long after its slot it started, and a slot with no check
/// counts as infinitely late.
/// </remarks>
internal sealed class ChecksBenchmark(StoreKind store) : IBenchmark
{
    private const int MonitorsPerComponent = 100;

    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>How much of the window each p99 in the lateness note covers.</summary>
    private static readonly TimeSpan LatenessPart = TimeSpan.FromSeconds(5);

    public string Id => "B1";

    public string Name => $"B1 {store.Display()}";

    public StoreKind? Store => store;

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var scale = context.Scale;
        var overrun = scale.B1Overrun;
        var nginx = await context.NginxAsync(cancellationToken);
        await nginx.PublishAsync("probe.txt", "ok\n"u8.ToArray(), cancellationToken);
        var target = nginx.Url("probe.txt");
        // Measured again just before each store's run: this machine's speed moves by a fifth or more within minutes
        // (10,407/s and 12,783/s twenty minutes apart), and a load set by the loop of a faster minute left the run of a
        // slower one no room to keep up.
        var loop = context.Options.B1Baseline is null
            ? await BareLoop.RunAsync(target, scale.BaselineDuration, nginx.Cpu, cancellationToken)
            : null;
        var baseline = context.Options.B1Baseline ?? loop!.Rate;

        var monitors = scale.B1Monitors;
        var interval = TimeSpan.FromMilliseconds(Math.Max(1000, Math.Ceiling(monitors / (baseline * context.Options.B1Load) * 1000)));
        var folder = context.NewFolder($"b1-{store}");
        var storage = await context.NewStorageAsync(store, "b1", cancellationToken);
        // PostgreSQL's server shares the machine with Candor and nginx; SQLite works inside Candor's own process.
        Func<CpuTime>? storeCpu = store == StoreKind.Postgres ? (await context.PostgresAsync(cancellationToken)).Cpu : null;
        var config = Path.Combine(folder, "candor.yaml");
        await File.WriteAllTextAsync(config, Config(storage, monitors, interval, target), cancellationToken);
        context.Log($"{Name}: {monitors:N0} monitors every {interval.TotalSeconds:0.00} s ({monitors / interval.TotalSeconds:N0}/s asked; bare loop {baseline:N0}/s)");

        DateTimeOffset serving, windowStart, windowEnd;
        long peak, steady;
        TimeSpan firstStart;
        WindowCpu cpu;
        await using (var server = await context.StartCandorAsync(config, folder, cancellationToken))
        {
            (serving, firstStart) = (server.ReadyAt, server.ReadyAt - server.LaunchedAt);
            windowStart = serving + scale.B1Warmup;
            windowEnd = windowStart + (interval * scale.B1MeasureIntervals);
            await SampleMemoryUntilAsync(server, windowStart, cancellationToken);
            var (machine, candor, served, stored) = (MachineLoad.Now(), server.Cpu(), nginx.Cpu(), storeCpu?.Invoke());
            await SampleMemoryUntilAsync(server, windowEnd, cancellationToken);
            cpu = new WindowCpu(server.Cpu() - candor, nginx.Cpu() - served, storeCpu?.Invoke() - stored, MachineLoad.Now().BusySince(machine));
            (steady, peak) = await SampleMemoryUntilAsync(server, windowEnd + overrun, cancellationToken);
            await server.StopAsync();
        }

        // The same loop once more, straight after: a run that fell short while the machine itself slowed shows it.
        var loopAfter = loop is null ? null : await BareLoop.RunAsync(target, scale.BaselineDuration, nginx.Cpu, cancellationToken);

        var firstRun = await ReadStartsAsync(storage, serving - TimeSpan.FromMilliseconds(1), windowEnd + overrun, cancellationToken);
        var inWindow = firstRun.Values.Sum(starts => starts.Count(s => s >= windowStart.ToUnixTimeMilliseconds() && s < windowEnd.ToUnixTimeMilliseconds()));
        var rate = inWindow / (windowEnd - windowStart).TotalSeconds;
        var slots = Lateness(firstRun, monitors, interval, serving, windowEnd);
        var lateness = slots.Where(slot => slot.After >= scale.B1Warmup).Select(slot => slot.Late).Order().ToList();
        var p99 = Stats.Percentile(lateness, 99);
        var missed = lateness.Count(double.IsPositiveInfinity);
        var durations = await ReadDurationsAsync(storage, windowStart, windowEnd, cancellationToken);
        var took = durations.Count == 0
            ? "no check stored"
            : $"the checks took {Stats.Percentile(durations, 50):0.0} ms at the median, {Stats.Percentile(durations, 99):0.0} ms at p99";
        var engine = store.Display();
        List<BenchRow> rows =
        [
            new BenchRow(Id, $"checks/s persisted, {engine}", new Measure(rate, "/s"), new Measure(baseline, "/s"),
                Target.AtLeastShareOfBaseline(0.6),
                $"{monitors:N0} monitors every {interval.TotalSeconds:0.00} s, so {monitors / interval.TotalSeconds:N0}/s asked; counted over {(windowEnd - windowStart).TotalSeconds:0} s; baseline: {BaselineSource(context)}{LoopAfterNote(loopAfter)}; {CpuNote(cpu, inWindow, loop)}"),
            new BenchRow(Id, $"check start after its slot, p99, {engine}", new Measure(p99, "ms"), null,
                Target.AtMost(new Measure(1000, "ms")),
                $"median {Stats.Percentile(lateness, 50):0.0} ms over {lateness.Count:N0} slots, {missed:N0} slots without a check (counted as infinitely late); p99 of each {LatenessPart.TotalSeconds:0} s since it said it serves, in ms: {ByPart(slots, scale.B1Warmup)}; {took}"),
            new BenchRow(Id, $"peak resident memory, {engine}", new Measure(peak / 1048576.0, "MiB"), null,
                Target.AtMost(new Measure(1024, "MiB")),
                $"{steady / 1048576.0:N0} MiB at the end of the run; serving {firstStart.TotalSeconds:0.0} s after launch"),
        ];

        // The figures of the first run stand even when the restart fails: they were read back before it.
        var restarted = $"monitors checked within one interval of a restart, {engine}";
        try
        {
            rows.Add(await RestartAsync(context, restarted, config, folder, storage, monitors, interval, overrun, cancellationToken));
        }
        catch (Exception exception)
        {
            rows.Add(BenchRow.Failed(Id, restarted, exception is OperationCanceledException
                ? "the restart did not finish within the benchmark's time"
                : exception.Message.Split('\n')[0]));
        }

        return rows;
    }

    private async Task<BenchRow> RestartAsync(
        BenchContext context,
        string figure,
        string config, string folder, string storage, int monitors, TimeSpan interval, TimeSpan overrun, CancellationToken cancellationToken)
    {
        DateTimeOffset relaunched, ready;
        await using (var server = await context.StartCandorAsync(config, folder, cancellationToken))
        {
            (relaunched, ready) = (server.LaunchedAt, server.ReadyAt);
            await SampleMemoryUntilAsync(server, ready + interval + overrun, cancellationToken);
            await server.StopAsync();
        }

        var restart = await ReadStartsAsync(storage, relaunched, DateTimeOffset.MaxValue, cancellationToken);
        var checkedAgain = Enumerable.Range(0, monitors)
            .Select(i => restart.TryGetValue(MonitorId(i), out var starts) ? starts.Min() : (long?)null)
            .ToList();
        var deadline = (ready + interval).ToUnixTimeMilliseconds();
        var inTime = checkedAgain.Count(first => first <= deadline);
        var last = checkedAgain.Max(first => first ?? long.MaxValue);
        return new BenchRow(Id, figure, new Measure(100.0 * inTime / monitors, "%"), null,
            Target.AtLeast(new Measure(100, "%")),
            last == long.MaxValue
                ? $"serving {(ready - relaunched).TotalSeconds:0.0} s after launch; {monitors - checkedAgain.Count(first => first is not null):N0} monitors never checked again"
                : $"serving {(ready - relaunched).TotalSeconds:0.0} s after launch; the last monitor checked {(DateTimeOffset.FromUnixTimeMilliseconds(last) - ready).TotalSeconds:0.0} s after that (interval {interval.TotalSeconds:0.00} s)");
    }

    /// <summary>
    /// The CPU time (user + kernel) a check took in the window, Candor's, nginx's and PostgreSQL's when it is the store,
    /// beside the same of a request of the bare loop, with how busy the machine was in each: what a check costs beyond a
    /// request of the loop is taken from the room in which the backlog of a start is caught up.
    /// </summary>
    private static string CpuNote(WindowCpu window, long checks, BareLoopRun? loop)
    {
        var server = window.Store is { } store ? $", PostgreSQL {store.PerRequest(checks)}" : "";
        var candor = $"CPU a check in the window: Candor {window.Candor.PerRequest(checks)}, nginx {window.Nginx.PerRequest(checks)}{server}, the machine {window.MachineBusy:0} % busy";
        return loop is null
            ? candor
            : $"{candor}; a request of the bare loop: the loop {loop.Client.PerRequest(loop.Requests)}, nginx {loop.Server.PerRequest(loop.Requests)}, the machine {loop.MachineBusy:0} % busy";
    }

    private static string LoopAfterNote(BareLoopRun? after) => after is null
        ? ""
        : $"; the same loop straight after the run (before the restart): {after.Rate:N0}/s, the machine {after.MachineBusy:0} % busy";

    private static string BaselineSource(BenchContext context) => context.Options.B1Baseline is null
        ? "64 concurrent GETs with one HttpClient, a new connection each, nothing stored"
        : "given with --b1-baseline, not measured in this run";

    private static string MonitorId(int index) => $"m{index:000000}";

    private static string Config(string storage, int monitors, TimeSpan interval, Uri target)
    {
        var timeout = ConfigText.Duration(interval < TimeSpan.FromSeconds(5) ? interval : TimeSpan.FromSeconds(5));
        var every = ConfigText.Duration(interval);
        var url = ConfigText.Quote(target.ToString());
        var yaml = new StringBuilder();
        yaml.AppendLine("page: { name: Candor Bench }");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"storage: {ConfigText.Quote(storage)}");
        yaml.AppendLine("components:");
        for (var c = 0; c < (monitors + MonitorsPerComponent - 1) / MonitorsPerComponent; c++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {{ id: c{c:0000}, name: Component {c} }}");
        }

        yaml.AppendLine("monitors:");
        for (var m = 0; m < monitors; m++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture,
                $"  - {{ id: {MonitorId(m)}, component: c{m / MonitorsPerComponent:0000}, type: http, target: {url}, interval: {every}, timeout: {timeout} }}");
        }

        return yaml.ToString();
    }

    /// <summary>
    /// The CPU time Candor, nginx and the store's server (none for SQLite) took in the window, and how busy the machine
    /// was meanwhile (percent).
    /// </summary>
    private sealed record WindowCpu(CpuTime Candor, CpuTime Nginx, CpuTime? Store, double MachineBusy);

    /// <returns>The resident set at the end, and the peak of the whole life of the process so far.</returns>
    private static async Task<(long Now, long Peak)> SampleMemoryUntilAsync(
        CandorServer server, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var memory = server.ResidentBytes();
        while (DateTimeOffset.UtcNow < until)
        {
            var left = until - DateTimeOffset.UtcNow;
            await Task.Delay(left < SampleEvery ? left : SampleEvery, cancellationToken);
            memory = server.ResidentBytes();
        }

        return memory;
    }

    /// <summary>The start times (Unix ms) of the stored results in [from, to), by monitor, ascending.</summary>
    private static async Task<Dictionary<string, List<long>>> ReadStartsAsync(
        string storage, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await BenchContext.OpenAsync(storage, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT monitor_id, started_at FROM check_results WHERE started_at >= @from AND started_at < @to ORDER BY started_at";
        Add(command, "from", from.ToUnixTimeMilliseconds());
        Add(command, "to", to == DateTimeOffset.MaxValue ? long.MaxValue : to.ToUnixTimeMilliseconds());
        var starts = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var monitor = reader.GetString(0);
            if (!starts.TryGetValue(monitor, out var list))
            {
                starts[monitor] = list = [];
            }

            list.Add(reader.GetInt64(1));
        }

        return starts;
    }

    /// <summary>
    /// How long each check that started in [from, to) took, in ms, ascending: a start taken early and a check that then
    /// waits in the process would show here.
    /// </summary>
    private static async Task<List<double>> ReadDurationsAsync(
        string storage, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await BenchContext.OpenAsync(storage, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT duration_ms FROM check_results WHERE started_at >= @from AND started_at < @to ORDER BY duration_ms";
        Add(command, "from", from.ToUnixTimeMilliseconds());
        Add(command, "to", to.ToUnixTimeMilliseconds());
        var durations = new List<double>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            durations.Add(reader.GetDouble(0));
        }

        return durations;
    }

    /// <summary>
    /// The p99 of the slots in each part since the server said it serves, in order, the warm-up's in brackets: a
    /// backlog shows where the start builds it, then as a tail that drains; a server that cannot keep up as one that
    /// does not.
    /// </summary>
    private static string ByPart(List<(TimeSpan After, double Late)> slots, TimeSpan warmup) =>
        string.Join(", ", slots
            .GroupBy(slot => (int)(slot.After / LatenessPart))
            .OrderBy(part => part.Key)
            .Select(part =>
            {
                var p99 = Stats.Percentile([.. part.Select(slot => slot.Late).Order()], 99);
                var shown = double.IsPositiveInfinity(p99) ? "∞" : p99.ToString("N0", CultureInfo.InvariantCulture);
                return part.Key * LatenessPart < warmup ? $"[{shown}]" : shown;
            }));

    /// <summary>
    /// For every slot of every monitor from one time to another, how long after the first it was due and how long after
    /// it the check started, in ms; a slot that no check started for within its interval is infinitely late.
    /// </summary>
    private static List<(TimeSpan After, double Late)> Lateness(
        Dictionary<string, List<long>> starts, int monitors, TimeSpan interval, DateTimeOffset from, DateTimeOffset to)
    {
        var lateness = new List<(TimeSpan After, double Late)>();
        for (var m = 0; m < monitors; m++)
        {
            var id = MonitorId(m);
            var phase = Slots.PhaseOf(id, "local", interval);
            var mine = starts.GetValueOrDefault(id) ?? [];
            for (var slot = Slots.AtOrAfter(from, interval, phase); slot < to; slot += interval)
            {
                // Stored times are whole milliseconds, floored: a start in the slot's own millisecond is on time.
                var due = slot.ToUnixTimeMilliseconds();
                var next = (slot + interval).ToUnixTimeMilliseconds();
                var started = mine.FirstOrDefault(s => s >= due && s < next, -1);
                lateness.Add((slot - from, started < 0 ? double.PositiveInfinity : Math.Max(0, started - (slot - DateTimeOffset.UnixEpoch).TotalMilliseconds)));
            }
        }

        return lateness;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
