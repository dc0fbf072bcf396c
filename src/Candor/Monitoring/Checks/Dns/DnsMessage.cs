using System.Globalization;
using System.Net;
using System.Text;

namespace Candor.Monitoring.Checks.Dns;

public sealed record DnsQuestion(string Name, DnsRecordType Type, ushort Class = DnsQuestion.InternetClass)
{
    public const ushort InternetClass = 1;
}

/// <summary>One resource record.</summary>
/// <param name="Ttl">Seconds; a value with the top bit set counts as 0 (RFC 2181 section 8).</param>
/// <param name="Data">The record data as <c>dig +short</c> shows it: <c>10 mail.example.</c>, <c>"v=spf1 -all"</c>.</param>
public sealed record DnsRecord(string Name, DnsRecordType Type, ushort Class, uint Ttl, string Data);

/// <summary>What the OPT pseudo-record of RFC 6891 says about the sender.</summary>
public sealed record DnsEdns(ushort UdpPayloadSize, byte Version, bool DnssecOk);

/// <summary>A DNS message as read from the wire (RFC 1035 section 4.1, with EDNS from RFC 6891).</summary>
public sealed class DnsMessage
{
    public required ushort Id { get; init; }

    public required bool IsResponse { get; init; }

    public required byte Opcode { get; init; }

    public required bool Authoritative { get; init; }

    public required bool Truncated { get; init; }

    public required bool RecursionDesired { get; init; }

    public required bool RecursionAvailable { get; init; }

    public required bool AuthenticData { get; init; }

    public required bool CheckingDisabled { get; init; }

    /// <summary>The full code: the header's four bits, extended by the OPT record's upper eight when there is one.</summary>
    public required DnsResponseCode ResponseCode { get; init; }

    public required IReadOnlyList<DnsQuestion> Questions { get; init; }

    public required IReadOnlyList<DnsRecord> Answers { get; init; }

    public required IReadOnlyList<DnsRecord> Authority { get; init; }

    /// <summary>The additional section without the OPT pseudo-record, which is <see cref="Edns"/>.</summary>
    public required IReadOnlyList<DnsRecord> Additional { get; init; }

    public required DnsEdns? Edns { get; init; }

    /// <summary>Whether the header's TC bit is set, read without parsing the rest (a truncated message may not parse).</summary>
    public static bool IsTruncated(ReadOnlySpan<byte> message) => message.Length > 2 && (message[2] & 0x02) != 0;

    /// <exception cref="DnsFormatException">The bytes are not a DNS message; nothing else is ever thrown.</exception>
    public static DnsMessage Parse(ReadOnlySpan<byte> message)
    {
        var reader = new DnsWireReader(message);
        var id = reader.ReadUInt16("the header");
        var flags = reader.ReadUInt16("the header");
        var questionCount = reader.ReadUInt16("the header");
        var answerCount = reader.ReadUInt16("the header");
        var authorityCount = reader.ReadUInt16("the header");
        var additionalCount = reader.ReadUInt16("the header");

        var questions = new List<DnsQuestion>();
        for (var i = 0; i < questionCount; i++)
        {
            var name = reader.ReadName();
            var type = (DnsRecordType)reader.ReadUInt16("a question");
            questions.Add(new DnsQuestion(name, type, reader.ReadUInt16("a question")));
        }

        var answers = ReadSection(ref reader, answerCount, "answer");
        var authority = ReadSection(ref reader, authorityCount, "authority");
        const string AdditionalField = "a record of the additional section";
        var additional = new List<DnsRecord>();
        DnsEdns? edns = null;
        var extendedCode = 0;
        for (var i = 0; i < additionalCount; i++)
        {
            var start = reader.Position;
            var name = reader.ReadName();
            var type = (DnsRecordType)reader.ReadUInt16(AdditionalField);
            if (type != DnsRecordType.OPT)
            {
                additional.Add(ReadRecord(ref reader, name, type, AdditionalField));
                continue;
            }

            if (edns is not null)
            {
                throw new DnsFormatException($"a second OPT record at offset {start}; RFC 6891 allows one");
            }

            if (name != ".")
            {
                throw new DnsFormatException($"the OPT record at offset {start} is owned by {name}, not by the root");
            }

            var payloadSize = reader.ReadUInt16("the OPT record");
            var ttl = reader.ReadUInt32("the OPT record");
            extendedCode = (int)(ttl >> 24);
            edns = new DnsEdns(payloadSize, (byte)(ttl >> 16), (ttl & 0x8000) != 0);
            SkipOptions(ref reader);
        }

        return new DnsMessage
        {
            Id = id,
            IsResponse = (flags & 0x8000) != 0,
            Opcode = (byte)((flags >> 11) & 0xF),
            Authoritative = (flags & 0x0400) != 0,
            Truncated = (flags & 0x0200) != 0,
            RecursionDesired = (flags & 0x0100) != 0,
            RecursionAvailable = (flags & 0x0080) != 0,
            AuthenticData = (flags & 0x0020) != 0,
            CheckingDisabled = (flags & 0x0010) != 0,
            ResponseCode = (DnsResponseCode)((extendedCode << 4) | (flags & 0xF)),
            Questions = questions,
            Answers = answers,
            Authority = authority,
            Additional = additional,
            Edns = edns,
        };
    }

    private static List<DnsRecord> ReadSection(ref DnsWireReader reader, int count, string section)
    {
        var records = new List<DnsRecord>();
        var field = $"a record of the {section} section";
        for (var i = 0; i < count; i++)
        {
            var start = reader.Position;
            var name = reader.ReadName();
            var type = (DnsRecordType)reader.ReadUInt16(field);
            if (type == DnsRecordType.OPT)
            {
                throw new DnsFormatException($"an OPT record at offset {start} in the {section} section");
            }

            records.Add(ReadRecord(ref reader, name, type, field));
        }

        return records;
    }

    /// <summary>Reads a record from its class on, its owner name and type having been read.</summary>
    private static DnsRecord ReadRecord(ref DnsWireReader reader, string name, DnsRecordType type, string field)
    {
        var recordClass = reader.ReadUInt16(field);
        var ttl = reader.ReadUInt32(field);
        var length = reader.ReadUInt16(field);
        if (length > reader.Remaining)
        {
            throw new DnsFormatException(
                $"the {type.Name()} record of {name} claims {length} bytes of data at offset {reader.Position}, but {reader.Remaining} remain");
        }

        var start = reader.Position;
        var data = ReadData(ref reader, type, length);
        if (reader.Position != start + length)
        {
            throw new DnsFormatException(
                $"the {type.Name()} record of {name} at offset {start} has {length} bytes of data, but its fields take {reader.Position - start}");
        }

        return new DnsRecord(name, type, recordClass, ttl > int.MaxValue ? 0 : ttl, data);
    }

    private static string ReadData(ref DnsWireReader reader, DnsRecordType type, int length)
    {
        const string Field = "record data";
        var end = reader.Position + length;
        switch (type)
        {
            case DnsRecordType.A when length == 4:
            case DnsRecordType.AAAA when length == 16:
                return new IPAddress(reader.ReadBytes(length, Field)).ToString();
            case DnsRecordType.A:
            case DnsRecordType.AAAA:
                throw new DnsFormatException($"an {type.Name()} record with {length} bytes of data");
            case DnsRecordType.NS:
            case DnsRecordType.CNAME:
            case DnsRecordType.PTR:
                return reader.ReadName();
            case DnsRecordType.MX:
                var preference = reader.ReadUInt16(Field);
                return $"{preference} {reader.ReadName()}";
            case DnsRecordType.SOA:
                var primary = reader.ReadName();
                var mailbox = reader.ReadName();
                return string.Join(
                    ' ',
                    primary,
                    mailbox,
                    reader.ReadUInt32(Field),
                    reader.ReadUInt32(Field),
                    reader.ReadUInt32(Field),
                    reader.ReadUInt32(Field),
                    reader.ReadUInt32(Field));
            case DnsRecordType.TXT:
                var text = new StringBuilder();
                while (reader.Position < end)
                {
                    if (text.Length > 0)
                    {
                        text.Append(' ');
                    }

                    AppendQuoted(text, reader.ReadBytes(reader.ReadByte(Field), Field));
                }

                return text.Length > 0 ? text.ToString() : "\"\"";
            case DnsRecordType.CAA:
                var caaFlags = reader.ReadByte(Field);
                var tagLength = reader.ReadByte(Field);
                if (tagLength == 0)
                {
                    throw new DnsFormatException("a CAA record with an empty tag");
                }

                Span<char> tag = stackalloc char[byte.MaxValue * DnsName.MaxPresentationLength];
                var tagWritten = DnsName.FormatLabel(reader.ReadBytes(tagLength, Field), tag);
                var caa = new StringBuilder().Append(caaFlags).Append(' ').Append(tag[..tagWritten]).Append(' ');
                AppendQuoted(caa, reader.ReadBytes(Math.Max(0, end - reader.Position), Field));
                return caa.ToString();
            default:
                // RFC 3597: the data of a type one does not know, in hex after its length.
                var raw = reader.ReadBytes(length, Field);
                return raw.IsEmpty ? "\\# 0" : $"\\# {length} {Convert.ToHexString(raw)}";
        }
    }

    /// <summary>Skips the options of an OPT record (code, length, value) after checking that they fill its data.</summary>
    private static void SkipOptions(ref DnsWireReader reader)
    {
        var length = reader.ReadUInt16("the OPT record");
        var end = reader.Position + length;
        if (length > reader.Remaining)
        {
            throw new DnsFormatException(
                $"the OPT record claims {length} bytes of options at offset {reader.Position}, but {reader.Remaining} remain");
        }

        while (reader.Position < end)
        {
            reader.ReadUInt16("an EDNS option");
            reader.ReadBytes(reader.ReadUInt16("an EDNS option"), "an EDNS option");
        }

        if (reader.Position != end)
        {
            throw new DnsFormatException($"the last EDNS option runs past the end of the OPT record at offset {end}");
        }
    }

    /// <summary>A character-string as dig shows it: quoted, with quote and backslash escaped and other bytes as \DDD.</summary>
    private static void AppendQuoted(StringBuilder text, ReadOnlySpan<byte> bytes)
    {
        text.Append('"');
        foreach (var b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                text.Append('\\').Append((char)b);
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        text.Append('"');
    }
}
