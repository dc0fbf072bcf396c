using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks.Dns;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Dns;

/// <summary>The dns check against a real dnsmasq, each answer compared with what dig gets for the same query.</summary>
[Collection(DnsmasqCollection.Name)]
public sealed class DnsCheckTests(DnsmasqServer dnsmasq)
{
    public static TheoryData<string, string, string[]> Records => new()
    {
        { "www.acme.example", "A", ["192.0.2.10"] },
        { "multi.acme.example", "A", ["192.0.2.21", "192.0.2.22"] },
        { "www.acme.example", "AAAA", ["2001:db8::10"] },
        { "shop.acme.example", "CNAME", ["www.acme.example."] },
        { "acme.example", "MX", ["10 mail.acme.example.", "20 mail2.acme.example."] },
        { "acme.example", "TXT", ["\"v=spf1 -all\""] },
        { "odd.acme.example", "TXT", ["\"say \\\"hi\\\"\" \"back\\\\slash\" \"tab\\009end\""] },
        { "acme.example", "NS", ["ns1.acme.example.", "ns2.acme.example."] },
        { "acme.example", "SOA", ["ns1.acme.example. hostmaster.acme.example. 2026112201 7200 900 1209600 300"] },
        { "acme.example", "CAA", ["0 issue \"letsencrypt.org\"", "128 iodef \"mailto:security@acme.example\""] },
        { "192.0.2.20", "PTR", ["host.acme.example."] },
        { "192.0.2.10", "PTR", ["www.acme.example."] },
        { "2001:db8::10", "PTR", ["www.acme.example."] },
        { "20.2.0.192.in-addr.arpa", "PTR", ["host.acme.example."] },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public async Task Each_record_type_answers_what_dig_gets(string target, string record, string[] expected)
    {
        var observation = await RunAsync(target, record);
        var dig = await Dig.ShortAsync(
            dnsmasq.Port, record == "PTR" && System.Net.IPAddress.TryParse(target, out _) ? ["-x", target] : [target, record]);

        Assert.Null(observation.FailureMessage);
        Assert.Equal("NOERROR", observation.Facts["rcode"]);
        Assert.Equal(expected.Order(), Answers(observation).Order());
        Assert.Equal(dig.Order(), Answers(observation).Order());
        Assert.Equal(DnsmasqServer.Ttl, observation.Facts["ttl"]);
        Assert.Equal(false, observation.Facts["truncated_retried_over_tcp"]);
    }

    [Fact]
    public async Task An_address_query_for_an_alias_reports_the_addresses_at_the_end_of_the_chain()
    {
        var observation = await RunAsync("shop.acme.example", "A");
        var dig = await Dig.ShortAsync(dnsmasq.Port, "shop.acme.example", "A");

        // dig +short shows the CNAME it followed too; the answers fact keeps to the type asked for.
        Assert.Equal(["192.0.2.10"], Answers(observation));
        Assert.Equal(["www.acme.example.", "192.0.2.10"], dig);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_NXDOMAIN_and_not_a_failure()
    {
        var observation = await RunAsync("nope.acme.example", "A");

        Assert.Null(observation.Failure);
        Assert.Equal(await Dig.StatusAsync(dnsmasq.Port, "nope.acme.example", "A"), observation.Facts["rcode"]);
        Assert.Equal("NXDOMAIN", observation.Facts["rcode"]);
        Assert.Empty(Answers(observation));
        Assert.False(observation.Facts.ContainsKey("ttl"));
    }

    [Fact]
    public async Task A_name_without_records_of_the_type_is_NOERROR_with_no_answers()
    {
        var observation = await RunAsync("multi.acme.example", "AAAA");

        Assert.Equal(await Dig.StatusAsync(dnsmasq.Port, "multi.acme.example", "AAAA"), observation.Facts["rcode"]);
        Assert.Equal("NOERROR", observation.Facts["rcode"]);
        Assert.Empty(Answers(observation));
    }

    [Fact]
    public async Task A_server_failure_is_SERVFAIL_and_not_a_failure_of_the_probe()
    {
        var observation = await RunAsync(DnsmasqServer.ServFailName, "A");

        Assert.Null(observation.Failure);
        Assert.Equal(await Dig.StatusAsync(dnsmasq.Port, DnsmasqServer.ServFailName, "A"), observation.Facts["rcode"]);
        Assert.Equal("SERVFAIL", observation.Facts["rcode"]);
    }

    [Fact]
    public async Task A_truncated_answer_is_asked_again_over_TCP_and_comes_whole()
    {
        var observation = await RunAsync(DnsmasqServer.BigTxtName, "TXT");
        var dig = await Dig.ShortAsync(dnsmasq.Port, DnsmasqServer.BigTxtName, "TXT");

        var expected = string.Join(' ', Enumerable.Range(0, DnsmasqServer.BigTxtStrings).Select(i => $"\"{DnsmasqServer.BigTxtString(i)}\""));
        Assert.Equal(true, observation.Facts["truncated_retried_over_tcp"]);
        Assert.Equal([expected], Answers(observation));
        Assert.Equal(dig, Answers(observation));
        Assert.True(expected.Length > DnsQuery.UdpPayloadSize);
    }

    [Fact]
    public async Task A_type_without_a_name_reads_in_the_generic_form_dig_shows()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var exchange = await new DnsWireClient(TimeProvider.System).QueryAsync(
            dnsmasq.EndPoint, DnsQuery.Create("raw.acme.example", (DnsRecordType)65280), deadline.Token);

        var record = Assert.Single(exchange.Response.Answers);
        Assert.Equal("\\# 4 0A000001", record.Data);
        Assert.Equal<string>(await Dig.ShortAsync(dnsmasq.Port, "raw.acme.example", "TYPE65280"), [record.Data]);
    }

    [Fact]
    public async Task The_response_time_is_measured()
    {
        var observation = await RunAsync("www.acme.example", "A");

        var responseTime = Assert.IsType<TimeSpan>(observation.Facts["response_time"]);
        Assert.InRange(responseTime, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
        Assert.Equal(responseTime, observation.ResponseTime);
        Assert.Equal(responseTime, observation.Timings.Dns);
    }

    private static IReadOnlyList<string> Answers(Observation observation) =>
        Assert.IsAssignableFrom<IReadOnlyList<string>>(observation.Facts["answers"]);

    private async Task<Observation> RunAsync(string target, string record)
    {
        var monitor = new MonitorConfig
        {
            Id = "dns-test",
            Type = "dns",
            Target = target,
            Timeout = TimeSpan.FromSeconds(5),
            Settings = new DnsSettings { Record = record, Server = dnsmasq.Server },
        };
        Assert.Empty(((DnsSettings)monitor.Settings).Validate(monitor));
        using var deadline = new CancellationTokenSource(monitor.Timeout);
        return await new DnsCheck().RunAsync(monitor, new CheckContext("local", TimeProvider.System), deadline.Token);
    }
}
