using Candor.Monitoring;

namespace Candor.Diagnostics;

/// <summary>
/// The one line that names where the path to a target broke, lowest layer first, in the words an operator would
/// use: "DNS: NXDOMAIN for www.acme.example from eu-west", "TCP connect to 127.0.0.1:1 refused". When every layer
/// answers, the outage is in what the service said, and the line says so with the check's own verdict.
/// </summary>
public static class DiagnosticSummary
{
    private const string NoError = "NOERROR";

    /// <param name="record">For a dns monitor, the record type it asks for; null for every other type.</param>
    public static string Describe(DiagnosticBundle bundle, string? record, CheckResult confirming)
    {
        var verdict = $"the check failed on: {confirming.Message ?? confirming.ErrorKind?.ToString() ?? "unknown"}";
        if (bundle.Dns is { } dns)
        {
            if (record is not null)
            {
                var lookup = dns.Lookups.First(l => l.Type == record);
                return DnsFailure(dns, lookup, [record], bundle.Location)
                       ?? $"DNS: {dns.Server} answered {NoError} for {dns.Name} from {bundle.Location}; {verdict}";
            }

            if (dns.Addresses.Count == 0)
            {
                // A response code says more than a silence, and the A answer more than the AAAA one.
                var telling = dns.Lookups.FirstOrDefault(l => l.Rcode is not null and not NoError)
                              ?? dns.Lookups.FirstOrDefault(l => l.Error is null)
                              ?? dns.Lookups[0];
                return DnsFailure(dns, telling, ["A", "AAAA"], bundle.Location)!;
            }
        }

        if (bundle.Tcp.Count > 0 && bundle.Tcp.All(a => a.Outcome != ConnectOutcome.Connected))
        {
            var traced = bundle.Tcp.FirstOrDefault(a => a.Address == bundle.Traceroute.Toward);
            var named = traced ?? bundle.Tcp[0];
            var hop = traced is not null && bundle.Traceroute.LastAnsweredHop is { } last
                ? $" (hop {last} is the last that answered)"
                : "";
            var others = bundle.Tcp.Count switch
            {
                1 => "",
                2 => "; the other address failed too",
                var n => $"; the {n - 1} other addresses failed too",
            };
            return named.Message + hop + others;
        }

        if (bundle.Tls is { Succeeded: false } tls)
        {
            return $"TLS handshake with {tls.ServerName} failed: {tls.Error}";
        }

        if (bundle.Http is { } http)
        {
            return http.StatusLine is null
                ? $"HTTP request to {http.Url} failed: {http.Error}"
                : $"{http.Url} answered {http.StatusLine}; {verdict}";
        }

        return bundle.Tcp.FirstOrDefault(a => a.Outcome == ConnectOutcome.Connected) is { } connected
            ? $"TCP connect to {Endpoint(connected)} succeeded; {verdict}"
            : verdict;
    }

    /// <returns>The failure, or null when the lookup answered NOERROR with records of the type wanted.</returns>
    private static string? DnsFailure(DnsDiagnosis dns, DnsLookup lookup, IReadOnlyList<string> types, string location)
    {
        if (lookup.Error is { } error)
        {
            return lookup.TimedOut
                ? $"DNS: no answer for {dns.Name} from {location}: {error}"
                : $"DNS: lookup of {dns.Name} from {location} failed: {error}";
        }

        if (lookup.Rcode != NoError)
        {
            return $"DNS: {lookup.Rcode} for {dns.Name} from {location}";
        }

        return lookup.Answers.Any(a => types.Contains(a.Type))
            ? null
            : $"DNS: no {string.Join(" or ", types)} record for {dns.Name} from {location}";
    }

    private static string Endpoint(ConnectAttempt attempt) =>
        attempt.Address.Contains(':', StringComparison.Ordinal) ? $"[{attempt.Address}]:{attempt.Port}" : $"{attempt.Address}:{attempt.Port}";
}
