using System.Text.Json;
using System.Text.Json.Serialization;

namespace Candor.Diagnostics;

/// <summary>
/// What Candor saw of a monitor's target, layer by layer, right after a location's view of it turned down: the
/// evidence an operator would otherwise gather by hand with dig, nc, openssl and curl, taken while it was true.
/// Stored as JSON with the result that confirmed the outage.
/// </summary>
/// <param name="Summary">One line naming the layer that failed, e.g. "TCP connect to 127.0.0.1:1 refused".</param>
/// <param name="Dns">Null when the target needs no lookup (an IP address, or localhost).</param>
/// <param name="Tcp">One attempt per address, made at once; empty when the target has no port or no address.</param>
/// <param name="Tls">Null for targets without TLS, or when no TCP connection was made.</param>
/// <param name="Http">Null for targets that are not URLs, or when no TCP connection was made.</param>
public sealed record DiagnosticBundle(
    string Summary,
    string MonitorId,
    string Location,
    Guid ResultId,
    string? Target,
    DateTimeOffset CollectedAt,
    double DurationMs,
    DnsDiagnosis? Dns,
    IReadOnlyList<ConnectAttempt> Tcp,
    TlsDiagnosis? Tls,
    HttpDiagnosis? Http,
    TracerouteDiagnosis Traceroute)
{
    /// <summary>Snake_case keys and enum names, the spelling of the rest of the API.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <param name="Server">The resolver asked, as <c>address:port</c>.</param>
/// <param name="Addresses">The A and AAAA addresses found, which the TCP attempts go to.</param>
public sealed record DnsDiagnosis(string Server, string Name, IReadOnlyList<DnsLookup> Lookups, IReadOnlyList<string> Addresses);

/// <summary>One question to the resolver. Either it answered (a response code, maybe no records) or <see cref="Error"/> says why not.</summary>
/// <param name="Answers">Every record of the answer section, as <c>dig</c> would show them: CNAMEs along the way too.</param>
public sealed record DnsLookup(
    string Type, string? Rcode, IReadOnlyList<DnsAnswer> Answers, double TimeMs, string? Error, bool TimedOut = false);

public sealed record DnsAnswer(string Name, string Type, uint Ttl, string Data);

public enum ConnectOutcome
{
    Connected,
    Refused,
    TimedOut,
    Failed,
}

/// <param name="Message">For a failure, the sentence a check would give, e.g. "TCP connect to 127.0.0.1:1 refused".</param>
public sealed record ConnectAttempt(string Address, int Port, ConnectOutcome Outcome, double TimeMs, string? Message);

/// <param name="ServerName">The name the certificate must carry, sent as SNI.</param>
/// <param name="Protocol">The negotiated version, e.g. Tls13; null when the handshake failed.</param>
/// <param name="Problems">Why the certificate is not trusted for this name, empty when it is.</param>
/// <param name="TimeMs">The handshake alone, on a connection already made.</param>
/// <param name="Error">Why the handshake failed, null when it succeeded.</param>
public sealed record TlsDiagnosis(
    string ServerName,
    bool Succeeded,
    string? Protocol,
    CertificateDiagnosis? Certificate,
    IReadOnlyList<string> Problems,
    double TimeMs,
    string? Error);

/// <param name="DnsNames">The names in the subject alternative name extension, which is what clients check.</param>
public sealed record CertificateDiagnosis(
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string ExpiresIn,
    IReadOnlyList<string> DnsNames);

/// <param name="StatusLine">As it came, e.g. "HTTP/1.1 500 Internal Server Error"; null when no response came.</param>
/// <param name="BodyStart">The first characters of the body: error pages often say what broke.</param>
public sealed record HttpDiagnosis(
    string Url,
    string? StatusLine,
    int? Status,
    IReadOnlyDictionary<string, string> Headers,
    string? BodyStart,
    double TimeMs,
    string? Error);

/// <param name="Address">Null for a hop that did not answer.</param>
public sealed record TracerouteHop(int Hop, string? Address, double? TimeMs);

/// <summary>The route toward the address that could not be reached, or why it was not traced.</summary>
/// <param name="Status">"run", or "not run" (then <see cref="Reason"/> says why).</param>
public sealed record TracerouteDiagnosis(string Status, string? Reason, string? Toward, IReadOnlyList<TracerouteHop> Hops)
{
    public const string RunStatus = "run";

    public const string NotRunStatus = "not run";

    /// <summary>Where the path goes dark: the outage is at or just past this hop.</summary>
    public int? LastAnsweredHop => Hops.LastOrDefault(h => h.Address is not null)?.Hop;

    public static TracerouteDiagnosis NotRun(string reason) => new(NotRunStatus, reason, null, []);
}
