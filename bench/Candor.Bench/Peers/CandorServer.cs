using System.Globalization;

namespace Candor.Bench.Peers;

/// <summary>
/// `candor serve`, run as users run it: its own process, built in the same configuration as the suite, so that its
/// memory, its start and its restart are the product's and not the suite's.
/// </summary>
internal sealed class CandorServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Long enough for the pipeline to write what the last runs produced.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChildProcess _process = null!;

    private CandorServer(int port)
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Pid;

    public CpuTime Cpu() => CpuTime.Of([Pid]);

    public DateTimeOffset LaunchedAt { get; private set; }

    /// <summary>When it said it was serving: the config is loaded, the store migrated and the scheduler started.</summary>
    public DateTimeOffset ReadyAt { get; private set; }

    public static async Task<CandorServer> StartAsync(
        string candorDll, string configPath, string workingDirectory, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var server = new CandorServer(port) { LaunchedAt = DateTimeOffset.UtcNow };
        server._process = ChildProcess.Start(
            "dotnet",
            [candorDll, "serve", "--config", configPath, "--urls", $"http://127.0.0.1:{port}"],
            workingDirectory,
            // A storage from the environment would win over the config's.
            new Dictionary<string, string?> { ["CANDOR_STORAGE"] = null },
            server.Watch);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var exited = server._process.WaitForExitAsync(timeout.Token);
            if (await Task.WhenAny(server._serving.Task, exited) != server._serving.Task)
            {
                await exited;
                throw new InvalidOperationException($"candor serve exited with code {server._process.ExitCode}:\n{server._process.Tail()}");
            }

            return server;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"candor serve did not start within {StartTimeout}:\n{server._process.Tail()}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The resident set now and at its peak, from the kernel's own account of the process.</summary>
    public (long Now, long Peak) ResidentBytes()
    {
        long now = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                now = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }

        return (now, peak);
    }

    /// <summary>SIGTERM, as a service manager stops it: it drains its queue and writes every result first.</summary>
    public async Task StopAsync()
    {
        if (!await _process.StopAsync("TERM", StopTimeout))
        {
            throw new InvalidOperationException($"candor serve did not stop within {StopTimeout} and was killed:\n{_process.Tail()}");
        }
    }

    /// <summary>The last lines it wrote, for an error message.</summary>
    public string Tail() => _process.Tail();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static long Kilobytes(string statusLine) =>
        long.Parse(statusLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>
    /// The product's own build output beside this one (artifacts/bin/Candor/{configuration}/candor.dll), so that a
    /// Release suite runs a Release server.
    /// </summary>
    public static string BuildOutput()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(output.Parent!.Parent!.FullName, "Candor", output.Name, "candor.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: candor.dll is missing", dll);
    }

    private void Watch(string line)
    {
        if (line.StartsWith("Candor is serving", StringComparison.Ordinal) && !_serving.Task.IsCompleted)
        {
            ReadyAt = DateTimeOffset.UtcNow;
            _serving.TrySetResult();
        }
    }
}
