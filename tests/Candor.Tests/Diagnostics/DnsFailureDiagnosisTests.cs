using Candor.Monitoring;
using Candor.Tests.Dns;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Diagnostics;

/// <summary>DNS failures, against the test dnsmasq: a dns monitor's own server, or the resolver the diagnosis is given.</summary>
[Collection(DnsmasqCollection.Name)]
public sealed class DnsFailureDiagnosisTests(DnsmasqServer dnsmasq)
{
    [Fact]
    public async Task A_name_that_does_not_exist_is_NXDOMAIN_for_that_name_from_that_location()
    {
        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: www, component: web, type: dns, target: nope.acme.example, server: \"{dnsmasq.Server}\" }}",
            "rcode (NXDOMAIN) == NOERROR",
            ErrorKind.Assertion);

        Assert.Equal("DNS: NXDOMAIN for nope.acme.example from local", bundle.Summary);
        var dns = bundle.Dns!;
        Assert.Equal(dnsmasq.Server, dns.Server);
        Assert.Equal(["A", "AAAA"], dns.Lookups.Select(l => l.Type));
        Assert.All(dns.Lookups, l => Assert.Equal("NXDOMAIN", l.Rcode));
        Assert.All(dns.Lookups, l => Assert.True(l.TimeMs > 0));
        Assert.Empty(dns.Addresses);
        Assert.Empty(bundle.Tcp);
    }

    [Fact]
    public async Task An_http_target_whose_name_does_not_resolve_stops_at_DNS()
    {
        var bundle = await Diagnosis.CollectAsync(
            "{ id: shop, component: web, type: http, target: \"http://nope.acme.example/\" }",
            "DNS: no address for nope.acme.example",
            ErrorKind.Dns,
            resolver: dnsmasq.EndPoint);

        Assert.Equal("DNS: NXDOMAIN for nope.acme.example from local", bundle.Summary);
        Assert.Empty(bundle.Tcp);
        Assert.Null(bundle.Http);
        Assert.Equal("there is no address to trace toward", bundle.Traceroute.Reason);
    }

    [Fact]
    public async Task A_failing_resolver_is_named_by_its_response_code()
    {
        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: broken, component: web, type: dns, target: {DnsmasqServer.ServFailName}, server: \"{dnsmasq.Server}\" }}",
            "rcode (SERVFAIL) == NOERROR",
            ErrorKind.Assertion);

        Assert.Equal($"DNS: SERVFAIL for {DnsmasqServer.ServFailName} from local", bundle.Summary);
    }

    [Fact]
    public async Task A_name_that_resolves_shows_its_answers_and_leaves_the_verdict_to_the_check()
    {
        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: www, component: web, type: dns, target: www.acme.example, server: \"{dnsmasq.Server}\", conditions: [ \"answers contains 192.0.2.99\" ] }}",
            "answers ([192.0.2.10]) contains 192.0.2.99",
            ErrorKind.Assertion);

        Assert.Equal(
            $"DNS: {dnsmasq.Server} answered NOERROR for www.acme.example from local; the check failed on: answers ([192.0.2.10]) contains 192.0.2.99",
            bundle.Summary);
        Assert.Equal(["192.0.2.10", "2001:db8::10"], bundle.Dns!.Addresses);
        var a = bundle.Dns.Lookups.Single(l => l.Type == "A");
        Assert.Equal(("www.acme.example", "A", 300u, "192.0.2.10"), (a.Answers[0].Name, a.Answers[0].Type, a.Answers[0].Ttl, a.Answers[0].Data));
    }
}
