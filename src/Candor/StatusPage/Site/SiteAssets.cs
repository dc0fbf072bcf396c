using System.Text;

namespace Candor.StatusPage.Site;

/// <summary>The stylesheet and the script, built into the executable: there is no front-end build step.</summary>
public static class SiteAssets
{
    public const string Stylesheet = "static/candor.css";
    public const string Script = "static/candor.js";

    /// <summary>Each asset's path (as served, without the leading slash), bytes and content type.</summary>
    public static IReadOnlyList<(string Path, byte[] Body, string ContentType)> All { get; } =
    [
        (Stylesheet, [.. Read("candor.css"), .. RunWidths()], "text/css; charset=utf-8"),
        (Script, Read("candor.js"), "text/javascript; charset=utf-8"),
    ];

    /// <summary>
    /// A rule per length of a run of quiet days on an uptime bar (<c>.w37</c> spans 37 days): the pages' policy allows
    /// no style attribute to carry the length, and 89 rules written out by hand would only be this loop.
    /// </summary>
    private static byte[] RunWidths() =>
        Encoding.UTF8.GetBytes("\n" + string.Concat(Enumerable.Range(2, UptimeBar.Days - 1).Select(n => $".w{n} {{ --n: {n}; }}\n")));

    private static byte[] Read(string name)
    {
        using var stream = typeof(SiteAssets).Assembly.GetManifestResourceStream("Candor.Site." + name)
            ?? throw new InvalidOperationException($"The asset {name} is missing from the build.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
