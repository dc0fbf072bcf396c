using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Candor.Tests.Dns;

/// <summary>BIND's dig, the reference client that Candor's answers are compared with.</summary>
internal static partial class Dig
{
    /// <summary>The lines of <c>dig +short</c>: the data of each answer record, as dig shows it.</summary>
    public static async Task<string[]> ShortAsync(int port, params string[] query) =>
        (await RunAsync(port, ["+short", .. query])).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The status dig reports: NOERROR, NXDOMAIN, SERVFAIL, ...</summary>
    public static async Task<string> StatusAsync(int port, params string[] query)
    {
        var output = await RunAsync(port, ["+noall", "+comments", .. query]);
        return Status().Match(output) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"dig printed no status:\n{output}");
    }

    private static async Task<string> RunAsync(int port, string[] arguments)
    {
        var start = new ProcessStartInfo("dig")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["@127.0.0.1", "-p", port.ToString(), "+time=5", "+tries=1", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("dig is not installed; ./test.sh installs it (bind9-dnsutils)");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0
                ? await output
                : throw new InvalidOperationException($"dig {string.Join(' ', arguments)} failed: {await errors}{await output}");
        }
    }

    [GeneratedRegex(@"status: ([A-Z0-9]+)")]
    private static partial Regex Status();
}
