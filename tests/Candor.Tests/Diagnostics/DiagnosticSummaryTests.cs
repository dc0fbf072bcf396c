using Candor.Diagnostics;
using Candor.Monitoring;

namespace Candor.Tests.Diagnostics;

/// <summary>The summary line for failures that cannot be staged on this machine (remote locations, silent routes).</summary>
public sealed class DiagnosticSummaryTests
{
    private static readonly CheckResult Confirming = new(
        Guid.CreateVersion7(), "web-home", "eu-west", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10), Outcome.Down,
        ErrorKind.Timeout, "timed out after 10s connecting to www.acme.example:443", PhaseTimings.None);

    private static DiagnosticBundle Bundle(
        DnsDiagnosis? dns = null, IReadOnlyList<ConnectAttempt>? tcp = null, TracerouteDiagnosis? traceroute = null) =>
        new("", "web-home", "eu-west", Confirming.Id, "https://www.acme.example/", DateTimeOffset.UtcNow, 10_000, dns, tcp ?? [], null, null,
            traceroute ?? TracerouteDiagnosis.NotRun("the connect was refused, so the route is open"));

    private static ConnectAttempt TimedOut(string address) =>
        new(address, 443, ConnectOutcome.TimedOut, 10_000, $"TCP connect to {address}:443 timed out after 10s");

    [Fact]
    public void NXDOMAIN_names_the_name_and_the_location()
    {
        var nx = new DnsDiagnosis(
            "10.0.0.2:53",
            "www.acme.example",
            [new DnsLookup("A", "NXDOMAIN", [], 3, null), new DnsLookup("AAAA", "NXDOMAIN", [], 3, null)],
            []);

        Assert.Equal("DNS: NXDOMAIN for www.acme.example from eu-west", DiagnosticSummary.Describe(Bundle(nx), null, Confirming));
    }

    [Fact]
    public void A_resolver_that_does_not_answer_is_told_apart_from_a_name_that_does_not_exist()
    {
        var silent = new DnsDiagnosis(
            "10.0.0.2:53",
            "www.acme.example",
            [new DnsLookup("A", null, [], 10_000, "10.0.0.2:53 did not answer within 10s", TimedOut: true)],
            []);

        Assert.Equal(
            "DNS: no answer for www.acme.example from eu-west: 10.0.0.2:53 did not answer within 10s",
            DiagnosticSummary.Describe(Bundle(silent), null, Confirming));
    }

    [Fact]
    public void A_connect_that_times_out_is_named_with_the_timeout()
    {
        Assert.Equal(
            "TCP connect to 203.0.113.7:443 timed out after 10s",
            DiagnosticSummary.Describe(Bundle(tcp: [TimedOut("203.0.113.7")]), null, Confirming));
    }

    [Fact]
    public void A_traced_connect_that_times_out_says_which_hop_answered_last()
    {
        var trace = new TracerouteDiagnosis(
            TracerouteDiagnosis.RunStatus,
            null,
            "203.0.113.7",
            [.. Enumerable.Range(1, 7).Select(h => new TracerouteHop(h, $"198.51.100.{h}", h)), new TracerouteHop(8, null, null)]);

        Assert.Equal(
            "TCP connect to 203.0.113.7:443 timed out after 10s (hop 7 is the last that answered)",
            DiagnosticSummary.Describe(Bundle(tcp: [TimedOut("203.0.113.7")], traceroute: trace), null, Confirming));
    }

    [Fact]
    public void When_every_address_fails_the_first_is_named_and_the_others_counted()
    {
        Assert.Equal(
            "TCP connect to 203.0.113.7:443 timed out after 10s; the 2 other addresses failed too",
            DiagnosticSummary.Describe(
                Bundle(tcp: [TimedOut("203.0.113.7"), TimedOut("203.0.113.8"), TimedOut("2001:db8::7")]), null, Confirming));
    }
}
