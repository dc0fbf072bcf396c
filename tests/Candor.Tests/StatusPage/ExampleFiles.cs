using Candor.StatusPage.Api;

namespace Candor.Tests.StatusPage;

/// <summary>
/// The example responses of the Statuspage API v2 compatibility specification, kept beside these tests in
/// Examples/ and copied to the test output, so the comparison never depends on anything outside the repository.
/// </summary>
public static class ExampleFiles
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "StatusPage", "Examples");

    /// <summary>The example of a document, named as its path under /api/v2/.</summary>
    public static string Read(StatuspageDocument document) =>
        File.ReadAllText(Path.Combine(Folder, document.Path()["/api/v2/".Length..]));
}
