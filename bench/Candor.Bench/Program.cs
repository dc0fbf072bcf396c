using System.Globalization;
using Candor.Bench.Benchmarks;
using Candor.Bench.Suite;

const string Usage = """
    Runs Candor's benchmarks beside the baselines of the same machine and prints one row per figure.

    usage: Candor.Bench [--smoke] [--only B1,B4] [--b1-load 0.65] [--b1-baseline 9000]
                        [--b1-store sqlite|postgresql] [--candor DLL] [--out FILE | --no-out]

      --smoke       every benchmark at a tiny scale, in seconds: proves they run, measures nothing
      --only        the benchmarks to run, by id
      --b1-load     B1's checks per second as a share of the bare loop's (default 0.65)
      --b1-baseline take this many requests/s as the bare loop's rate instead of measuring it,
                    to compare two builds at the same load (default: measured)
      --b1-store    run B1 on one store only (default: both)
      --candor      the candor.dll to run (default: the build output beside this program;
                    bench/run.sh gives the published one)
      --out         where to write the table with the machine and the commit
                    (default: bench/RESULTS.md for a full run of every benchmark, nowhere otherwise)
      --no-out      write no file
    """;

// B4's webhook baseline runs this program again, in a process of its own.
if (args is [WebhookLoop.Verb, .. var loopArgs])
{
    return await WebhookLoop.MainAsync(loopArgs);
}

var options = new BenchOptions();
string? output = null;
var writeOutput = true;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--smoke":
            options = options with { Scale = BenchScale.Smoke };
            break;
        case "--only" when i + 1 < args.Length:
            options = options with
            {
                Only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(id => id.ToUpperInvariant())
                    .ToHashSet(),
            };
            break;
        case "--b1-load" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var load) && load is > 0 and <= 2:
            options = options with { B1Load = load };
            i++;
            break;
        case "--b1-baseline" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var rate) && rate > 0:
            options = options with { B1Baseline = rate };
            i++;
            break;
        case "--b1-store" when i + 1 < args.Length && StoreKinds.Parse(args[i + 1]) is { } b1Store:
            options = options with { B1Stores = new HashSet<StoreKind> { b1Store } };
            i++;
            break;
        case "--candor" when i + 1 < args.Length:
            var candorDll = Path.GetFullPath(args[++i]);
            if (!File.Exists(candorDll))
            {
                Console.Error.WriteLine($"Candor.Bench: --candor: there is no {candorDll}");
                return 2;
            }

            options = options with { CandorDll = candorDll };
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--no-out":
            writeOutput = false;
            break;
        default:
            Console.Error.WriteLine(Usage);
            return args[i] is "--help" or "-h" ? 0 : 2;
    }
}

// Only a full run of everything replaces the committed table; a partial or smoke run would overwrite it with less.
if (writeOutput && output is null && options.Scale == BenchScale.Full && options.Only.Count == 0 && RepositoryRoot.Find() is { } root)
{
    output = Path.Combine(root, ResultsReport.CommittedTable);
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var report = await BenchSuite.RunAsync(
    options,
    line => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}"),
    cancellation.Token);
Console.WriteLine();
Console.WriteLine(ResultsReport.Table(report.Rows));
if (writeOutput && output is not null)
{
    await File.WriteAllTextAsync(output, ResultsReport.Markdown(report, await MachineInfo.DescribeAsync(cancellation.Token)), cancellation.Token);
    Console.WriteLine($"Written to {output}");
}

return report.Rows.Any(row => row.Candor is null) ? 1 : 0;
