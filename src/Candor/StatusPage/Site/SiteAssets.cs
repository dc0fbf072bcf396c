namespace Candor.StatusPage.Site;

/// <summary>The stylesheet and the script, built into the executable: there is no front-end build step.</summary>
public static class SiteAssets
{
    public const string Stylesheet = "static/candor.css";
    public const string Script = "static/candor.js";

    /// <summary>Each asset's path (as served, without the leading slash), bytes and content type.</summary>
    public static IReadOnlyList<(string Path, byte[] Body, string ContentType)> All { get; } =
    [
        (Stylesheet, Read("candor.css"), "text/css; charset=utf-8"),
        (Script, Read("candor.js"), "text/javascript; charset=utf-8"),
    ];

    private static byte[] Read(string name)
    {
        using var stream = typeof(SiteAssets).Assembly.GetManifestResourceStream("Candor.Site." + name)
            ?? throw new InvalidOperationException($"The asset {name} is missing from the build.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
