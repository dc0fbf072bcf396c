using Candor.Monitoring.Checks.Dns;

namespace Candor.Tests.Dns;

public sealed class DnsMessageTests
{
    // The question name www.acme.example starts right after the header; acme.example is its suffix.
    private const int QuestionName = 12;
    private const int AcmeExample = 16;

    public static TheoryData<DnsRecordType, byte[], string> RecordData => new()
    {
        { DnsRecordType.A, [192, 0, 2, 10], "192.0.2.10" },
        { DnsRecordType.AAAA, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10], "2001:db8::10" },
        { DnsRecordType.NS, new PacketBuilder().Name("ns1.acme.example").ToArray(), "ns1.acme.example." },
        { DnsRecordType.PTR, new PacketBuilder().Name("host.acme.example").ToArray(), "host.acme.example." },
        { DnsRecordType.CNAME, new PacketBuilder().Name(".").ToArray(), "." },
        { DnsRecordType.MX, new PacketBuilder().UInt16(10).Name("mail.acme.example").ToArray(), "10 mail.acme.example." },
        { DnsRecordType.TXT, [11, .. "v=spf1 -all"u8], "\"v=spf1 -all\"" },
        { DnsRecordType.TXT, [3, (byte)'a', (byte)'"', (byte)'\\', 2, 9, 0xFF, 0], "\"a\\\"\\\\\" \"\\009\\255\" \"\"" },
        { DnsRecordType.CAA, [0, 5, .. "issue"u8, .. "letsencrypt.org"u8], "0 issue \"letsencrypt.org\"" },
        { DnsRecordType.CAA, [128, 5, .. "iodef"u8], "128 iodef \"\"" },
        {
            DnsRecordType.SOA,
            new PacketBuilder().Name("ns1.acme.example").Name("hostmaster.acme.example")
                .UInt32(2026112201).UInt32(7200).UInt32(900).UInt32(1209600).UInt32(300).ToArray(),
            "ns1.acme.example. hostmaster.acme.example. 2026112201 7200 900 1209600 300"
        },
        { (DnsRecordType)65280, [0x0A, 0, 0, 1], "\\# 4 0A000001" },
        { (DnsRecordType)65280, [], "\\# 0" },
    };

    [Theory]
    [MemberData(nameof(RecordData))]
    public void Each_record_type_reads_as_dig_shows_it(DnsRecordType type, byte[] data, string expected)
    {
        var packet = new PacketBuilder().Header(answers: 1).Question("www.acme.example", type)
            .Record(o => o.Pointer(QuestionName), type, 300, d => d.Bytes(data)).ToArray();

        var record = Assert.Single(DnsMessage.Parse(packet).Answers);

        Assert.Equal(new DnsRecord("www.acme.example.", type, 1, 300, expected), record);
    }

    [Fact]
    public void It_reads_the_header_flags_and_every_section()
    {
        var packet = new PacketBuilder()
            .Header(id: 0xBEEF, flags: 0x8000 | 0x0400 | 0x0100 | 0x0080 | 0x0020 | 3, answers: 1, authority: 1, additional: 2)
            .Question("www.acme.example", DnsRecordType.A)
            .Record(o => o.Pointer(QuestionName), DnsRecordType.A, 60, d => d.Bytes(192, 0, 2, 10))
            .Record(o => o.Pointer(AcmeExample), DnsRecordType.NS, 60, d => d.Labels("ns1").Pointer(AcmeExample))
            .Record(o => o.Labels("ns1").Pointer(AcmeExample), DnsRecordType.A, 60, d => d.Bytes(192, 0, 2, 53))
            .Opt()
            .ToArray();

        var message = DnsMessage.Parse(packet);

        Assert.Equal(0xBEEF, message.Id);
        Assert.True(message.IsResponse);
        Assert.True(message.Authoritative);
        Assert.False(message.Truncated);
        Assert.True(message.RecursionDesired);
        Assert.True(message.RecursionAvailable);
        Assert.True(message.AuthenticData);
        Assert.False(message.CheckingDisabled);
        Assert.Equal(DnsResponseCode.NXDomain, message.ResponseCode);
        Assert.Equal(new DnsQuestion("www.acme.example.", DnsRecordType.A), Assert.Single(message.Questions));
        Assert.Equal("192.0.2.10", Assert.Single(message.Answers).Data);
        Assert.Equal(new DnsRecord("acme.example.", DnsRecordType.NS, 1, 60, "ns1.acme.example."), Assert.Single(message.Authority));
        Assert.Equal(new DnsRecord("ns1.acme.example.", DnsRecordType.A, 1, 60, "192.0.2.53"), Assert.Single(message.Additional));
        Assert.Equal(new DnsEdns(1232, 0, false), message.Edns);
    }

    [Fact]
    public void Compression_pointers_are_followed_through_several_jumps()
    {
        var builder = new PacketBuilder().Header(answers: 2).Question("www.acme.example", DnsRecordType.CNAME);
        var shop = builder.Position;
        builder.Record(o => o.Labels("shop").Pointer(AcmeExample), DnsRecordType.CNAME, 60, d => d.Pointer(QuestionName));
        builder.Record(o => o.Labels("cdn").Pointer(shop), DnsRecordType.MX, 60, d => d.UInt16(5).Labels("mx").Pointer(shop));

        var answers = DnsMessage.Parse(builder.ToArray()).Answers;

        Assert.Equal(("shop.acme.example.", "www.acme.example."), (answers[0].Name, answers[0].Data));
        Assert.Equal(("cdn.shop.acme.example.", "5 mx.shop.acme.example."), (answers[1].Name, answers[1].Data));
    }

    [Fact]
    public void Labels_with_special_bytes_are_escaped_as_dig_escapes_them()
    {
        var packet = new PacketBuilder().Header()
            .Bytes(5, (byte)'a', (byte)'.', (byte)'b', (byte)' ', (byte)'"').Bytes(3, (byte)'x', 0xC3, (byte)'\\').Bytes(0)
            .UInt16(1).UInt16(1).ToArray();

        Assert.Equal("a\\.b\\032\\\".x\\195\\\\.", Assert.Single(DnsMessage.Parse(packet).Questions).Name);
    }

    [Fact]
    public void A_pointer_to_itself_is_a_loop()
    {
        var packet = new PacketBuilder().Header().Pointer(QuestionName).UInt16(1).UInt16(1).ToArray();

        var error = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet));

        Assert.Contains("offset 12 points to offset 12", error.Message);
        Assert.Contains("loop", error.Message);
    }

    [Fact]
    public void A_pointer_back_into_the_labels_it_ends_is_a_loop()
    {
        var packet = new PacketBuilder().Header().Labels("www").Pointer(QuestionName).UInt16(1).UInt16(1).ToArray();

        Assert.Contains("loop", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet)).Message);
    }

    [Fact]
    public void Two_names_pointing_at_each_other_are_a_loop()
    {
        // The answer's owner jumps back to the question's name, whose own pointer jumps forward to the answer.
        var builder = new PacketBuilder().Header(answers: 1).Labels("a");
        var answerOwner = builder.Position + 2 + 4;
        builder.Pointer(answerOwner).UInt16(1).UInt16(1)
            .Record(o => o.Labels("b").Pointer(QuestionName), DnsRecordType.A, 0, d => d.Bytes(1, 2, 3, 4));

        Assert.Contains("loop", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(builder.ToArray())).Message);
    }

    [Fact]
    public void A_pointer_past_the_end_is_rejected()
    {
        var packet = new PacketBuilder().Header().Labels("www").Pointer(0x3FFF).UInt16(1).UInt16(1).ToArray();

        Assert.Contains("past the end", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet)).Message);
    }

    [Fact]
    public void A_pointer_into_the_header_is_rejected()
    {
        var packet = new PacketBuilder().Header().Pointer(4).UInt16(1).UInt16(1).ToArray();

        Assert.Contains("inside the header", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet)).Message);
    }

    [Fact]
    public void A_pointer_cut_off_after_its_first_byte_is_rejected()
    {
        var packet = new PacketBuilder().Header().Labels("www").Bytes(0xC0).ToArray();

        Assert.Contains("past the end", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet)).Message);
    }

    [Fact]
    public void A_label_over_63_bytes_is_rejected()
    {
        var packet = new PacketBuilder().Header().Bytes(64).Text(new string('a', 64)).Bytes(0).UInt16(1).UInt16(1).ToArray();

        Assert.Contains("0x40", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet)).Message);
    }

    [Fact]
    public void A_name_of_255_bytes_is_read_and_one_over_is_rejected()
    {
        var longest = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 61));
        var tooLong = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 62));

        var read = DnsMessage.Parse(new PacketBuilder().Header().Question(longest, DnsRecordType.A).ToArray());
        var error = Assert.Throws<DnsFormatException>(
            () => DnsMessage.Parse(new PacketBuilder().Header().Question(tooLong, DnsRecordType.A).ToArray()));

        Assert.Equal(longest + ".", read.Questions[0].Name);
        Assert.Contains("longer than 255 bytes", error.Message);
    }

    [Fact]
    public void A_name_that_grows_over_255_bytes_through_a_pointer_is_rejected()
    {
        var first = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63));
        var packet = new PacketBuilder().Header(answers: 1).Question(first, DnsRecordType.A)
            .Record(o => o.Labels(new string('x', 63)).Pointer(QuestionName), DnsRecordType.A, 0, d => d.Bytes(1, 2, 3, 4))
            .ToArray();

        Assert.Contains("longer than 255 bytes", Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet)).Message);
    }

    [Fact]
    public void The_OPT_record_becomes_the_EDNS_information_and_its_options_are_checked()
    {
        var cookie = new byte[] { 0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8 };
        var packet = new PacketBuilder().Header(additional: 1).Question("acme.example", DnsRecordType.A)
            .Opt(payloadSize: 4096, ttl: 0x0000_8000, options: cookie).ToArray();

        var message = DnsMessage.Parse(packet);

        Assert.Equal(new DnsEdns(4096, 0, DnssecOk: true), message.Edns);
        Assert.Empty(message.Additional);
        Assert.Equal(DnsResponseCode.NoError, message.ResponseCode);
    }

    [Theory]
    [InlineData(0, 1u, DnsResponseCode.BadVers, "BADVERS")]
    [InlineData(7, 1u, DnsResponseCode.BadCookie, "BADCOOKIE")]
    [InlineData(2, 0u, DnsResponseCode.ServFail, "SERVFAIL")]
    [InlineData(0xF, 0xFFu, (DnsResponseCode)4095, "RCODE4095")]
    public void The_extended_rcode_of_the_OPT_record_extends_the_header_rcode(
        int headerCode, uint extendedCode, DnsResponseCode expected, string name)
    {
        var packet = new PacketBuilder().Header(flags: (ushort)(PacketBuilder.ResponseFlags | headerCode), additional: 1)
            .Question("acme.example", DnsRecordType.A).Opt(ttl: extendedCode << 24).ToArray();

        var code = DnsMessage.Parse(packet).ResponseCode;

        Assert.Equal((expected, name), (code, code.Name()));
    }

    public static TheoryData<string, byte[], string> BrokenMessages => new()
    {
        { "short header", [0x12, 0x34, 0x81, 0x80, 0, 1], "inside the header" },
        { "missing question", new PacketBuilder().Header().ToArray(), "runs past the end" },
        {
            "two OPT records",
            new PacketBuilder().Header(questions: 0, additional: 2).Opt().Opt().ToArray(),
            "a second OPT record"
        },
        {
            "OPT owned by a name",
            new PacketBuilder().Header(questions: 0, additional: 1)
                .Record(o => o.Name("acme.example"), DnsRecordType.OPT, 0, _ => { }).ToArray(),
            "not by the root"
        },
        {
            "OPT in the answer section",
            new PacketBuilder().Header(questions: 0, answers: 1).Opt().ToArray(),
            "in the answer section"
        },
        {
            "option longer than the OPT data",
            new PacketBuilder().Header(questions: 0, additional: 1).Opt(options: [0, 10, 0, 9, 1, 2]).ToArray(),
            "inside an EDNS option"
        },
        {
            "A record of five bytes",
            new PacketBuilder().Header(questions: 0, answers: 1)
                .Record(o => o.Name("a"), DnsRecordType.A, 0, d => d.Bytes(1, 2, 3, 4, 5)).ToArray(),
            "an A record with 5 bytes of data"
        },
        {
            "MX with a spare byte",
            new PacketBuilder().Header(questions: 0, answers: 1)
                .Record(o => o.Name("a"), DnsRecordType.MX, 0, d => d.UInt16(10).Name("mx").Bytes(0)).ToArray(),
            "has 7 bytes of data, but its fields take 6"
        },
        {
            "data longer than the message",
            new PacketBuilder().Header(questions: 0, answers: 1).Name("a").UInt16(1).UInt16(1).UInt32(0).UInt16(4)
                .Bytes(1, 2).ToArray(),
            "claims 4 bytes of data"
        },
        {
            "TXT string past its record",
            new PacketBuilder().Header(questions: 0, answers: 1)
                .Record(o => o.Name("a"), DnsRecordType.TXT, 0, d => d.Bytes(5, 1, 2)).ToArray(),
            "inside record data"
        },
        {
            "CAA without a tag",
            new PacketBuilder().Header(questions: 0, answers: 1)
                .Record(o => o.Name("a"), DnsRecordType.CAA, 0, d => d.Bytes(0, 0)).ToArray(),
            "empty tag"
        },
    };

    [Theory]
    [MemberData(nameof(BrokenMessages))]
    public void A_broken_message_is_a_format_error_that_says_what_is_wrong(string what, byte[] packet, string expected)
    {
        var error = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet));

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{what}: {error.Message}");
    }

    [Fact]
    public void A_TTL_with_the_top_bit_set_counts_as_zero()
    {
        var packet = new PacketBuilder().Header(answers: 1).Question("acme.example", DnsRecordType.A)
            .Record(o => o.Pointer(QuestionName), DnsRecordType.A, 0x8000_0001, d => d.Bytes(1, 2, 3, 4)).ToArray();

        Assert.Equal(0u, Assert.Single(DnsMessage.Parse(packet).Answers).Ttl);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_record_are_ignored()
    {
        var packet = new PacketBuilder().Header().Question("acme.example", DnsRecordType.A).Bytes(0xFF, 0xFF).ToArray();

        Assert.Equal("acme.example.", DnsMessage.Parse(packet).Questions[0].Name);
    }

    [Fact]
    public void The_truncation_bit_is_read_from_the_header_alone()
    {
        Assert.True(DnsMessage.IsTruncated([0x12, 0x34, 0x83, 0x80]));
        Assert.False(DnsMessage.IsTruncated([0x12, 0x34, 0x81, 0x80]));
        Assert.False(DnsMessage.IsTruncated([0x12, 0x34]));
    }
}
