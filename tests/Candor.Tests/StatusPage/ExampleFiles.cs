using Candor.StatusPage.Api;

namespace Candor.Tests.StatusPage;

/// <summary>
/// The Statuspage example responses in shared/statuspage-examples, which sits beside the repository (in CI too):
/// the repository root is the first folder above the test assembly that holds Candor.slnx.
/// </summary>
public static class ExampleFiles
{
    public static string Folder { get; } = FindFolder();

    /// <summary>The example of a document, named as its path under /api/v2/.</summary>
    public static string Read(StatuspageDocument document) =>
        File.ReadAllText(Path.Combine(Folder, document.Path()["/api/v2/".Length..]));

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Candor.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "statuspage-examples"));
            }
        }

        throw new InvalidOperationException($"No Candor.slnx above {AppContext.BaseDirectory}.");
    }
}
