using System.Buffers.Binary;
using System.Text;
using Candor.Monitoring.Checks.Dns;

namespace Candor.Tests.Dns;

/// <summary>Writes DNS messages byte by byte, so that tests can craft exactly the broken ones they need.</summary>
internal sealed class PacketBuilder
{
    public const ushort ResponseFlags = 0x8180;

    private readonly List<byte> _bytes = [];

    public int Position => _bytes.Count;

    public PacketBuilder Header(
        ushort id = 0x1234,
        ushort flags = ResponseFlags,
        ushort questions = 1,
        ushort answers = 0,
        ushort authority = 0,
        ushort additional = 0) =>
        UInt16(id).UInt16(flags).UInt16(questions).UInt16(answers).UInt16(authority).UInt16(additional);

    /// <summary>The labels of a name, without the root byte that ends it: a pointer or the root must follow.</summary>
    public PacketBuilder Labels(string name)
    {
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            _bytes.Add((byte)label.Length);
            _bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        return this;
    }

    public PacketBuilder Name(string name) => Labels(name).Bytes(0);

    public PacketBuilder Pointer(int offset) => UInt16(0xC000 | offset);

    public PacketBuilder Question(string name, DnsRecordType type) => Name(name).UInt16((ushort)type).UInt16(1);

    /// <summary>A record whose owner and data the callbacks write; the data length is filled in afterwards.</summary>
    public PacketBuilder Record(
        Action<PacketBuilder> owner, DnsRecordType type, uint ttl, Action<PacketBuilder> data, ushort recordClass = 1)
    {
        owner(this);
        UInt16((ushort)type).UInt16(recordClass).UInt32(ttl);
        var lengthAt = Position;
        UInt16(0);
        data(this);
        var length = Position - lengthAt - 2;
        _bytes[lengthAt] = (byte)(length >> 8);
        _bytes[lengthAt + 1] = (byte)length;
        return this;
    }

    public PacketBuilder Opt(ushort payloadSize = 1232, uint ttl = 0, params byte[] options) =>
        Record(b => b.Bytes(0), DnsRecordType.OPT, ttl, b => b.Bytes(options), payloadSize);

    public PacketBuilder UInt16(int value) => Bytes((byte)(value >> 8), (byte)value);

    public PacketBuilder UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Bytes(bytes.ToArray());
    }

    public PacketBuilder Bytes(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PacketBuilder Text(string text) => Bytes(Encoding.ASCII.GetBytes(text));

    public byte[] ToArray() => [.. _bytes];
}
