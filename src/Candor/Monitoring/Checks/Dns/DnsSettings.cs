using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Candor.Configuration;

namespace Candor.Monitoring.Checks.Dns;

/// <summary>The keys of a `dns` monitor; its target is the name to query.</summary>
public sealed record DnsSettings : IValidatableConfig
{
    /// <summary>The record type to ask for: A, AAAA, CNAME, MX, TXT, NS, SOA, CAA or PTR.</summary>
    public string Record { get; init; } = "A";

    /// <summary>`9.9.9.9:53`, `[2620:fe::fe]:53` or `127.0.0.1:5353` (the port defaults to 53); none means the system resolver.</summary>
    public string? Server { get; init; }

    public IEnumerable<ConfigProblem> Validate(MonitorConfig? monitor)
    {
        var recordKnown = DnsMnemonics.TryParseQueryable(Record, out var type);
        if (!recordKnown)
        {
            yield return new ConfigProblem(
                "record",
                $"unknown record type '{Record}'; use one of {string.Join(", ", DnsMnemonics.QueryableTypes.Select(t => t.Name()))}");
        }

        if (Server is not null && !TryParseServer(Server, out _))
        {
            yield return new ConfigProblem(
                "server",
                $"'{Server}' is not a server address; write an IP address with an optional port, like 9.9.9.9:53 or [2620:fe::fe]:53");
        }

        if (monitor is null)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(monitor.Target))
        {
            yield return new ConfigProblem("target", "a dns monitor needs a target: the name to query");
        }
        else if (DnsName.Problem(NameToAsk(monitor.Target, recordKnown ? type : DnsRecordType.A)) is { } problem)
        {
            yield return new ConfigProblem("target", problem);
        }
    }

    /// <summary>The record type; call only on validated settings.</summary>
    public DnsRecordType RecordType() =>
        DnsMnemonics.TryParseQueryable(Record, out var type)
            ? type
            : throw new InvalidOperationException($"unknown record type '{Record}' got past validation");

    /// <summary>The target, except that a PTR query for an IP address asks for its in-addr.arpa or ip6.arpa name.</summary>
    public static string NameToAsk(string target, DnsRecordType type) =>
        type == DnsRecordType.PTR && IPAddress.TryParse(target, out var address) && IsWrittenInFull(target, address)
            ? DnsName.Reverse(address)
            : target;

    public static bool TryParseServer(string text, [NotNullWhen(true)] out IPEndPoint? server)
    {
        if (!IPEndPoint.TryParse(text, out server) || !IsWrittenInFull(text, server.Address))
        {
            server = null;
            return false;
        }

        if (server.Port == 0)
        {
            server.Port = SystemResolver.DnsPort;
        }

        return true;
    }

    /// <summary>IPAddress also takes the old short IPv4 forms ("5353" is 0.0.21.233); here an address is written in full.</summary>
    private static bool IsWrittenInFull(string text, IPAddress address) =>
        address.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') == 3;
}
