using System.Net;
using Candor.Monitoring.Checks.Dns;

namespace Candor.Tests.Dns;

public sealed class DnsQueryTests
{
    [Fact]
    public void A_query_asks_one_question_with_recursion_and_advertises_1232_bytes_over_EDNS()
    {
        var wire = new DnsQuery(0xBEEF, "a.example", DnsRecordType.MX).Encode();

        Assert.Equal(
            "BEEF 0100 0001 0000 0000 0001" + " 0161 076578616D706C65 00 000F 0001" + " 00 0029 04D0 00000000 0000",
            Spaced(wire, 2, 2, 2, 2, 2, 2, 2, 8, 1, 2, 2, 1, 2, 2, 4, 2));
    }

    [Fact]
    public void A_query_reads_back_as_what_it_asks()
    {
        var query = DnsQuery.Create("www.acme.example", DnsRecordType.AAAA);

        var read = DnsMessage.Parse(query.Encode());

        Assert.Equal(query.Id, read.Id);
        Assert.False(read.IsResponse);
        Assert.True(read.RecursionDesired);
        Assert.Equal(new DnsQuestion("www.acme.example.", DnsRecordType.AAAA), Assert.Single(read.Questions));
        Assert.Equal(new DnsEdns(DnsQuery.UdpPayloadSize, 0, false), read.Edns);
    }

    [Fact]
    public void Query_ids_are_random()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => DnsQuery.Create("acme.example", DnsRecordType.A).Id).ToHashSet();

        Assert.True(ids.Count > 40, $"only {ids.Count} different ids in 50 queries");
    }

    [Fact]
    public void A_name_that_cannot_be_asked_is_refused_before_anything_is_sent()
    {
        var error = Assert.Throws<ArgumentException>(() => new DnsQuery(1, "bad name.example", DnsRecordType.A));

        Assert.StartsWith("'bad name.example' contains ' '", error.Message);
    }

    [Theory]
    [InlineData(0x1234, "www.acme.example.", DnsRecordType.A, 0, true)]
    [InlineData(0x1234, "WWW.Acme.Example.", DnsRecordType.A, 0, true)]
    [InlineData(0x1235, "www.acme.example.", DnsRecordType.A, 0, false)]
    [InlineData(0x1234, "www.acme.example.", DnsRecordType.AAAA, 0, false)]
    [InlineData(0x1234, "mail.acme.example.", DnsRecordType.A, 0, false)]
    public void A_response_answers_a_query_only_with_the_same_id_and_question(
        int id, string name, DnsRecordType type, int code, bool expected)
    {
        var query = new DnsQuery(0x1234, "www.acme.example", DnsRecordType.A);
        var response = Response((ushort)id, [new DnsQuestion(name, type)], (DnsResponseCode)code);

        Assert.Equal(expected, query.IsAnsweredBy(response));
    }

    [Fact]
    public void A_response_without_the_question_answers_only_when_it_is_an_error()
    {
        var query = new DnsQuery(0x1234, "www.acme.example", DnsRecordType.A);

        Assert.True(query.IsAnsweredBy(Response(0x1234, [], DnsResponseCode.FormErr)));
        Assert.False(query.IsAnsweredBy(Response(0x1234, [], DnsResponseCode.NoError)));
    }

    [Theory]
    [InlineData("192.0.2.10", "10.2.0.192.in-addr.arpa.")]
    [InlineData("2001:db8::10", "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")]
    public void The_reverse_name_of_an_address_is_the_one_dig_asks_for(string address, string expected)
    {
        Assert.Equal(expected, DnsName.Reverse(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("www.acme.example", null)]
    [InlineData("www.acme.example.", null)]
    [InlineData(".", null)]
    [InlineData("_dmarc.acme.example", null)]
    [InlineData("", "the name is empty")]
    [InlineData("www..acme.example", "has an empty label")]
    [InlineData("bücher.example", "write an internationalised name in its xn-- form")]
    [InlineData("a;b.example", "contains ';'")]
    public void Names_to_ask_for_are_checked(string name, string? problem)
    {
        var found = DnsName.Problem(name);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found);
        }
    }

    [Fact]
    public void Names_to_ask_for_keep_to_the_label_and_name_limits()
    {
        var label64 = new string('a', 64) + ".example";
        var name256 = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 62);

        Assert.Contains("at most 63", DnsName.Problem(label64));
        Assert.Contains("256 bytes on the wire; DNS allows at most 255", DnsName.Problem(name256));
        Assert.Null(DnsName.Problem(name256[..^1]));
    }

    private static DnsMessage Response(ushort id, DnsQuestion[] questions, DnsResponseCode code) => new()
    {
        Id = id,
        IsResponse = true,
        Opcode = 0,
        Authoritative = false,
        Truncated = false,
        RecursionDesired = true,
        RecursionAvailable = true,
        AuthenticData = false,
        CheckingDisabled = false,
        ResponseCode = code,
        Questions = questions,
        Answers = [],
        Authority = [],
        Additional = [],
        Edns = null,
    };

    private static string Spaced(byte[] bytes, params int[] widths)
    {
        var parts = new List<string>();
        var at = 0;
        foreach (var width in widths)
        {
            parts.Add(Convert.ToHexString(bytes, at, width));
            at += width;
        }

        Assert.Equal(bytes.Length, at);
        return string.Join(' ', parts);
    }
}
