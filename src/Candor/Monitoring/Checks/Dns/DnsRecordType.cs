using System.Diagnostics.CodeAnalysis;

namespace Candor.Monitoring.Checks.Dns;

/// <summary>
/// Resource record types by their number on the wire. Types without a member here are still carried, as the plain
/// number, and shown in the RFC 3597 form.
/// </summary>
public enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    [SuppressMessage("Naming", "CA1720", Justification = "PTR is the type's name in every RFC and zone file.")]
    PTR = 12,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    OPT = 41,
    CAA = 257,
}

/// <summary>Response codes, including the EDNS extended ones (RFC 6891) above 15.</summary>
public enum DnsResponseCode
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    YXDomain = 6,
    YXRRSet = 7,
    NXRRSet = 8,
    NotAuth = 9,
    NotZone = 10,
    BadVers = 16,
    BadCookie = 23,
}

public static class DnsMnemonics
{
    /// <summary>The types a dns monitor may ask for; OPT is a pseudo-type and never asked.</summary>
    public static readonly IReadOnlyList<DnsRecordType> QueryableTypes =
    [
        DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.CNAME, DnsRecordType.MX, DnsRecordType.TXT,
        DnsRecordType.NS, DnsRecordType.SOA, DnsRecordType.CAA, DnsRecordType.PTR,
    ];

    /// <summary>The name dig and zone files use: `MX`, or `TYPE65` for a type without a name (RFC 3597).</summary>
    public static string Name(this DnsRecordType type) =>
        Enum.IsDefined(type) ? type.ToString() : $"TYPE{(ushort)type}";

    /// <summary>The name dig shows as the status: `NOERROR`, `NXDOMAIN`, or `RCODE12` for an unassigned code.</summary>
    public static string Name(this DnsResponseCode code) =>
        Enum.IsDefined(code) ? code.ToString().ToUpperInvariant() : $"RCODE{(int)code}";

    public static bool TryParseQueryable(string text, out DnsRecordType type)
    {
        type = QueryableTypes.FirstOrDefault(t => string.Equals(t.Name(), text.Trim(), StringComparison.OrdinalIgnoreCase));
        return type != 0;
    }
}
