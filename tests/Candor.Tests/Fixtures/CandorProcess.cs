using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Candor.Tests.Fixtures;

/// <summary>
/// The real `candor` executable, run as a user runs it: a separate process with arguments, a working
/// directory, an exit code and its output. Used where the process boundary is what is under test.
/// </summary>
public sealed class CandorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CandorProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int Pid => _process.Id;

    /// <summary>Runs `candor ARGS` to completion and returns its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] args) =>
        RunWithInputAsync(workingDirectory, null, args);

    /// <summary>Runs `candor ARGS` with <paramref name="input"/> on its standard input, closed after it.</summary>
    public static async Task<(int ExitCode, string Output)> RunWithInputAsync(string workingDirectory, string? input, params string[] args)
    {
        await using var candor = Start(workingDirectory, input, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await candor._process.WaitForExitAsync(timeout.Token);
        return (candor._process.ExitCode, candor.Output);
    }

    /// <summary>Starts `candor serve` and waits until it says where it is serving.</summary>
    public static async Task<CandorProcess> ServeAsync(string workingDirectory, string configPath, int port)
    {
        var candor = Start(
            workingDirectory, null, "serve", "--config", configPath, "--urls", $"http://127.0.0.1:{port}");
        var started = await Task.WhenAny(candor._serving.Task, candor._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != candor._serving.Task)
        {
            var output = candor.Output;
            await candor.DisposeAsync();
            throw new InvalidOperationException($"candor serve did not start:\n{output}");
        }

        return candor;
    }

    /// <summary>SIGTERM, as a service manager stops it; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the crash that gives the process no chance to clean up.</summary>
    public async Task CrashAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static CandorProcess Start(string workingDirectory, string? input, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CandorDll());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("CANDOR_STORAGE");
        var process = new Process { StartInfo = info };
        var candor = new CandorProcess(process);
        process.OutputDataReceived += (_, e) => candor.Append(e.Data);
        process.ErrorDataReceived += (_, e) => candor.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        return candor;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("Candor is serving", StringComparison.Ordinal))
        {
            _serving.TrySetResult();
        }
    }

    /// <summary>The built executable beside this test assembly's build output (artifacts/bin/candor/...).</summary>
    private static string CandorDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Name;
        var dll = Path.Combine(testOutput.Parent!.Parent!.FullName, "Candor", configuration, "candor.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: candor.dll is missing", dll);
    }
}
