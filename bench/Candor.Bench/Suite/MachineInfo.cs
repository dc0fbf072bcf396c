using System.Runtime.InteropServices;
using Candor.Bench.Peers;

namespace Candor.Bench.Suite;

/// <summary>What a reader needs to compare one results table with another: the machine and the code measured.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string Commit, string Runtime, string Platform)
{
    public static async Task<MachineInfo> DescribeAsync(CancellationToken cancellationToken) => new(
        CpuModel(),
        Environment.ProcessorCount,
        await CommitAsync(cancellationToken),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription);

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo")
                .Where(line => line.StartsWith("model name", StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault() ?? "unknown"
            : "unknown";

    /// <summary>
    /// The commit of the checkout the suite was built from, marked when it had uncommitted changes. The table of a
    /// run before, which the suite itself writes and which changes no code, is not one.
    /// </summary>
    private static async Task<string> CommitAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        if (root is null)
        {
            return "unknown";
        }

        try
        {
            var commit = (await ChildProcess.RunAsync("git", ["rev-parse", "--short=12", "HEAD"], cancellationToken, root)).Trim();
            var changes = await ChildProcess.RunAsync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)" + ResultsReport.CommittedTable], cancellationToken, root);
            return changes.Trim().Length > 0 ? $"{commit} (with uncommitted changes)" : commit;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

internal static class RepositoryRoot
{
    /// <summary>The checkout holding this build: the folder of Candor.slnx above the build output.</summary>
    public static string? Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Candor.slnx")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
