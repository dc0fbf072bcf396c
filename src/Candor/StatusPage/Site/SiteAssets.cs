using System.Security.Cryptography;
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

    private static readonly Dictionary<string, string> Versions =
        All.ToDictionary(asset => asset.Path, asset => "?v=" + Convert.ToHexStringLower(SHA256.HashData(asset.Body), 0, 6));

    /// <summary>
    /// The query that names the version of an asset, for the pages' links to it. Assets are cached for an hour, and a
    /// page drawn with the stylesheet of the version before is broken (a run of quiet days on a bar spans nothing
    /// without its rule): the link changes whenever the bytes do. The server and static hosts ignore the query.
    /// </summary>
    public static string VersionOf(string path) => Versions[path];

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
