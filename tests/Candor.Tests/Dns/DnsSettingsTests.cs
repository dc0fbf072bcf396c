using System.Net;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks.Dns;

namespace Candor.Tests.Dns;

public sealed class DnsSettingsTests
{
    [Fact]
    public void The_dns_type_is_in_the_catalog_with_its_subjects()
    {
        var kind = CheckCatalog.Find("dns");

        Assert.NotNull(kind);
        Assert.Equal(typeof(DnsCheck), kind.CheckType);
        Assert.Equal(typeof(DnsSettings), kind.SettingsType);
        Assert.Equal(["answers", "rcode", "response_time", "ttl"], kind.Subjects.Order());
    }

    [Fact]
    public void Valid_settings_have_no_problems()
    {
        var settings = new DnsSettings { Record = "mx", Server = "9.9.9.9:53" };

        Assert.Empty(settings.Validate(Monitor("acme.example")));
        Assert.Equal(DnsRecordType.MX, settings.RecordType());
    }

    [Fact]
    public void The_defaults_ask_the_system_resolver_for_an_A_record()
    {
        var settings = new DnsSettings();

        Assert.Equal(DnsRecordType.A, settings.RecordType());
        Assert.Null(settings.Server);
    }

    [Fact]
    public void An_unknown_record_type_is_a_problem_of_the_record_key()
    {
        var problem = Assert.Single(new DnsSettings { Record = "SRVX" }.Validate(Monitor("acme.example")));

        Assert.Equal("record", problem.Key);
        Assert.Equal("unknown record type 'SRVX'; use one of A, AAAA, CNAME, MX, TXT, NS, SOA, CAA, PTR", problem.Message);
    }

    [Theory]
    [InlineData("dns.quad9.net")]
    [InlineData("5353")]
    [InlineData("127.1")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("[2620:fe::fe")]
    public void A_server_that_is_not_an_address_is_a_problem_of_the_server_key(string server)
    {
        var problem = Assert.Single(new DnsSettings { Server = server }.Validate(Monitor("acme.example")));

        Assert.Equal("server", problem.Key);
        Assert.StartsWith($"'{server}' is not a server address", problem.Message);
    }

    [Theory]
    [InlineData("9.9.9.9:53", "9.9.9.9:53")]
    [InlineData("9.9.9.9", "9.9.9.9:53")]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("[2620:fe::fe]:53", "[2620:fe::fe]:53")]
    [InlineData("2620:fe::fe", "[2620:fe::fe]:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    public void Servers_are_IP_addresses_with_port_53_unless_another_is_given(string text, string expected)
    {
        Assert.True(DnsSettings.TryParseServer(text, out var server));
        Assert.Equal(expected, server.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_missing_target_is_a_problem(string? target)
    {
        var problem = Assert.Single(new DnsSettings().Validate(Monitor(target)));

        Assert.Equal(new ConfigProblem("target", "a dns monitor needs a target: the name to query"), problem);
    }

    [Fact]
    public void A_target_that_is_no_domain_name_is_a_problem()
    {
        var problem = Assert.Single(new DnsSettings().Validate(Monitor("www acme example")));

        Assert.Equal("target", problem.Key);
    }

    [Fact]
    public void Without_a_monitor_only_the_settings_themselves_are_checked()
    {
        Assert.Empty(new DnsSettings().Validate(null));
    }

    [Theory]
    [InlineData("192.0.2.10", DnsRecordType.PTR, "10.2.0.192.in-addr.arpa.")]
    [InlineData("2001:db8::1", DnsRecordType.PTR, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")]
    [InlineData("10.2.0.192.in-addr.arpa", DnsRecordType.PTR, "10.2.0.192.in-addr.arpa")]
    [InlineData("192.0.2.10", DnsRecordType.A, "192.0.2.10")]
    [InlineData("1234", DnsRecordType.PTR, "1234")]
    public void A_PTR_query_for_an_address_asks_for_its_reverse_name(string target, DnsRecordType type, string expected)
    {
        Assert.Equal(expected, DnsSettings.NameToAsk(target, type));
    }

    [Theory]
    [InlineData("# resolver\nsearch acme.example\nnameserver 10.255.255.53\nnameserver 1.1.1.1\n", "10.255.255.53:53")]
    [InlineData("options edns0\n\tnameserver\t2620:fe::fe\n", "[2620:fe::fe]:53")]
    [InlineData("nameserver not-an-address\nnameserver 192.0.2.53", "192.0.2.53:53")]
    [InlineData("search acme.example\n", "127.0.0.1:53")]
    [InlineData("", "127.0.0.1:53")]
    public void The_system_resolver_is_the_first_nameserver_of_resolv_conf(string text, string expected)
    {
        Assert.Equal(IPEndPoint.Parse(expected), SystemResolver.FromResolvConf(text));
    }

    private static MonitorConfig Monitor(string? target) => new() { Id = "dns-test", Type = "dns", Target = target };
}
