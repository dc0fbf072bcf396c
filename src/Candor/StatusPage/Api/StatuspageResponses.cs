using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Candor.StatusPage.Api;

/// <summary>One document of one snapshot, ready to send: its bytes, gzipped on first demand, and its ETag.</summary>
internal sealed class StatuspageResponse
{
    private readonly Lazy<byte[]> _gzipped;

    public StatuspageResponse(byte[] body)
    {
        Body = body;
        ETag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body), 0, 16)}\"", isWeak: true);
        _gzipped = new Lazy<byte[]>(() => Gzip(body));
    }

    public byte[] Body { get; }

    /// <summary>Weak, as Statuspage's: the gzipped and the plain bytes are the same document.</summary>
    public EntityTagHeaderValue ETag { get; }

    public byte[] Gzipped => _gzipped.Value;

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(body);
        }

        return output.ToArray();
    }
}

/// <summary>
/// The rendered documents of each snapshot, kept for as long as the snapshot lives: a surge of requests between
/// two changes renders every document once, whichever request comes first.
/// </summary>
internal sealed class StatuspageResponses
{
    private readonly ConditionalWeakTable<PublicSnapshot, RenderedSnapshot> _rendered = new();

    public StatuspageResponse Get(PublicSnapshot snapshot, StatuspageDocument document) =>
        _rendered.GetValue(snapshot, s => new RenderedSnapshot(s)).Get(document);

    /// <summary>Renders lazily, so that a copy made by a losing thread in a race costs nothing.</summary>
    private sealed class RenderedSnapshot
    {
        private readonly Lazy<StatuspageWriter> _writer;
        private readonly Dictionary<StatuspageDocument, Lazy<StatuspageResponse>> _documents;

        public RenderedSnapshot(PublicSnapshot snapshot)
        {
            _writer = new Lazy<StatuspageWriter>(() => new StatuspageWriter(snapshot));
            _documents = Enum.GetValues<StatuspageDocument>().ToDictionary(
                d => d,
                d => new Lazy<StatuspageResponse>(() => new StatuspageResponse(_writer.Value.Render(d))));
        }

        public StatuspageResponse Get(StatuspageDocument document) => _documents[document].Value;
    }
}
