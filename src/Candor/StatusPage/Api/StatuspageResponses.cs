using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Candor.Web;
using Microsoft.Net.Http.Headers;

namespace Candor.StatusPage.Api;

/// <summary>One document of one snapshot, ready to send: its bytes, gzipped on first demand, and its ETag.</summary>
internal sealed class StatuspageResponse
{
    private readonly Lazy<byte[]> _gzipped;
    private readonly string _etagText;

    public StatuspageResponse(byte[] body)
    {
        Body = body;
        ETag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body), 0, 16)}\"", isWeak: true);
        _etagText = ETag.ToString();
        _gzipped = new Lazy<byte[]>(() => Gzip(body));
    }

    public byte[] Body { get; }

    /// <summary>Weak, as Statuspage's: the gzipped and the plain bytes are the same document.</summary>
    public EntityTagHeaderValue ETag { get; }

    public byte[] Gzipped => _gzipped.Value;

    public bool IsGzipped => _gzipped.IsValueCreated;

    /// <summary>
    /// Answers with this document, the caller having set its caching headers: a 304 when If-None-Match names it,
    /// otherwise the bytes, gzipped for a client that asks. A request without those headers, which is most of them
    /// under load, parses nothing.
    /// </summary>
    /// <param name="anyEncodingIsGzip">Whether <c>Accept-Encoding: *</c> gets the gzipped bytes.</param>
    public Task SendAsync(HttpContext http, string contentType, bool anyEncodingIsGzip)
    {
        var request = http.Request;
        var response = http.Response;
        response.Headers.ETag = _etagText;
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0
            && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ETag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var acceptEncoding = request.Headers.AcceptEncoding;
        var gzip = acceptEncoding.Count > 0
            && StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var encodings)
            && AcceptsGzip(encodings, anyEncodingIsGzip);
        var body = gzip ? Gzipped : Body;
        if (gzip)
        {
            response.Headers.ContentEncoding = "gzip";
        }

        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : ResponseBody.WriteAsync(response.BodyWriter, body, http.RequestAborted);
    }

    private static bool AcceptsGzip(IList<StringWithQualityHeaderValue> accepted, bool anyEncodingIsGzip)
    {
        var gzip = accepted.FirstOrDefault(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            ?? (anyEncodingIsGzip ? accepted.FirstOrDefault(e => e.Value.Equals("*", StringComparison.Ordinal)) : null);
        return gzip is not null && gzip.Quality is not 0;
    }

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

    /// <summary>Almost every request is for the newest snapshot: it is found without a lookup.</summary>
    private RenderedSnapshot? _newest;

    public StatuspageResponse Get(PublicSnapshot snapshot, StatuspageDocument document)
    {
        var newest = Volatile.Read(ref _newest);
        if (newest is null || !ReferenceEquals(newest.Snapshot, snapshot))
        {
            newest = _rendered.GetValue(snapshot, s => new RenderedSnapshot(s));
            Volatile.Write(ref _newest, newest);
        }

        return newest.Get(document);
    }

    /// <summary>Renders lazily, so that a copy made by a losing thread in a race costs nothing.</summary>
    private sealed class RenderedSnapshot
    {
        private readonly Lazy<StatuspageWriter> _writer;
        private readonly Lazy<StatuspageResponse>[] _documents;

        public RenderedSnapshot(PublicSnapshot snapshot)
        {
            Snapshot = snapshot;
            _writer = new Lazy<StatuspageWriter>(() => new StatuspageWriter(snapshot));
            _documents = [.. Enum.GetValues<StatuspageDocument>().Select(
                d => new Lazy<StatuspageResponse>(() => new StatuspageResponse(_writer.Value.Render(d))))];
        }

        public PublicSnapshot Snapshot { get; }

        public StatuspageResponse Get(StatuspageDocument document) => _documents[(int)document].Value;
    }
}
