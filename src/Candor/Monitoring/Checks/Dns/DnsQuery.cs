using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Candor.Monitoring.Checks.Dns;

/// <summary>A standard query with one question, recursion desired, and an EDNS OPT record (RFC 1035, RFC 6891).</summary>
public sealed class DnsQuery
{
    /// <summary>The size DNS Flag Day 2020 settled on: answers up to it arrive without IP fragmentation almost everywhere.</summary>
    public const ushort UdpPayloadSize = 1232;

    private const int OptRecordLength = 11;

    /// <exception cref="ArgumentException"><paramref name="name"/> cannot be asked for (see <see cref="DnsName.Problem"/>).</exception>
    public DnsQuery(ushort id, string name, DnsRecordType type)
    {
        if (DnsName.Problem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        Id = id;
        Question = new DnsQuestion(DnsName.Absolute(name), type);
    }

    public ushort Id { get; }

    public DnsQuestion Question { get; }

    /// <summary>A query with an unpredictable id, which together with the random source port keeps forged answers out.</summary>
    public static DnsQuery Create(string name, DnsRecordType type) =>
        new((ushort)RandomNumberGenerator.GetInt32(0x10000), name, type);

    public byte[] Encode()
    {
        var nameLength = DnsName.WireLength(Question.Name);
        var message = new byte[DnsWireReader.HeaderLength + nameLength + 4 + OptRecordLength];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, Id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 0x0100); // RD: the server may recurse for us
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1); // one question
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1); // one additional record: the OPT

        var at = DnsWireReader.HeaderLength + DnsName.Write(Question.Name, span[DnsWireReader.HeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)Question.Type);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], Question.Class);
        at += 4;

        // The OPT record: root owner, the payload size in the class field, and zero for the extended code,
        // version, flags and options.
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 1)..], (ushort)DnsRecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 3)..], UdpPayloadSize);
        return message;
    }

    /// <summary>
    /// Whether <paramref name="message"/> is the response to this query: same id and same question. A server that
    /// rejects a query outright may send no question back, which is accepted only with an error code.
    /// </summary>
    public bool IsAnsweredBy(DnsMessage message) =>
        message.IsResponse
        && message.Id == Id
        && message.Questions.Count switch
        {
            0 => message.ResponseCode != DnsResponseCode.NoError,
            1 => message.Questions[0].Type == Question.Type
                 && message.Questions[0].Class == Question.Class
                 && string.Equals(message.Questions[0].Name, Question.Name, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
}
