using System.ComponentModel;
using System.Diagnostics;

namespace Candor.Tests.Fixtures;

/// <summary>Runs a command line tool to completion, for fixtures that set things up with openssl, ip or nft.</summary>
public static class ExternalCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <returns>What the command wrote to its standard output.</returns>
    /// <exception cref="InvalidOperationException">The command is missing, or failed; the message has its error output.</exception>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? input = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(Find(program))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = $"{program} {string.Join(' ', start.ArgumentList)}";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run {program} ({ex.Message}); ./test.sh installs what the tests need", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(input ?? "");
            process.StandardInput.Close();
            using var limit = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"`{commandLine}` did not finish within {Limit.TotalSeconds}s");
            }

            return process.ExitCode == 0
                ? await output
                : throw new InvalidOperationException($"`{commandLine}` failed with exit code {process.ExitCode}: {(await error).Trim()}");
        }
    }

    /// <summary>The full path of a tool; a test runner's PATH often lacks the sbin directories where Debian puts ip and nft.</summary>
    public static string Find(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists) ?? program;
    }
}
