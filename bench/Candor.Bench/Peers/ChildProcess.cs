using System.Diagnostics;
using System.Globalization;

namespace Candor.Bench.Peers;

/// <summary>
/// A program the suite started. Its last lines of output are kept for error messages (a long run must not fill
/// memory with them), each line can be watched as it comes, and it is stopped through its own PID, never by name.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 100;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Action<string>? _onLine;

    private ChildProcess(Process process, Action<string>? onLine)
    {
        _process = process;
        _onLine = onLine;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="onLine">Called with every line the program writes, on a thread of the process reader.</param>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<string>? onLine = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var child = new ChildProcess(new Process { StartInfo = info }, onLine);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a program to its end; fails with its output when it exits with another code than 0.</summary>
    public static async Task<string> RunAsync(
        string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var lines = new List<string>();
        await using var child = Start(fileName, arguments, workingDirectory, onLine: line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        });
        await child.WaitForExitAsync(cancellationToken);
        string output;
        lock (lines)
        {
            output = string.Join('\n', lines);
        }

        return child.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{Path.GetFileName(fileName)} exited with code {child.ExitCode}:\n{output}");
    }

    /// <summary>The last lines the program wrote, for an error message.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);

        // The exit can be seen before the last lines were read; the parameterless wait drains them.
        _process.WaitForExit();
    }

    /// <summary>
    /// Sends the signal (TERM, QUIT, INT) to this process and waits up to <paramref name="grace"/> for it to exit;
    /// kills it after that. Returns whether it exited by itself.
    /// </summary>
    public async Task<bool> StopAsync(string signal, TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return true;
        }

        using (var kill = Process.Start("kill", ["-s", signal, Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }
        }

        _onLine?.Invoke(line);
    }
}
