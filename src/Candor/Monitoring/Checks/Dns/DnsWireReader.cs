using System.Buffers.Binary;

namespace Candor.Monitoring.Checks.Dns;

/// <summary>
/// Reads a DNS message front to back. Every read checks the bounds first and reports a short message as a
/// <see cref="DnsFormatException"/>, so no index or argument exception can come out of a hostile packet.
/// </summary>
internal ref struct DnsWireReader(ReadOnlySpan<byte> message)
{
    /// <summary>The fixed header of RFC 1035 section 4.1.1; no name can start inside it.</summary>
    public const int HeaderLength = 12;

    private readonly ReadOnlySpan<byte> _message = message;

    public int Position { get; private set; }

    public readonly int Remaining => _message.Length - Position;

    public byte ReadByte(string field)
    {
        Require(1, field);
        return _message[Position++];
    }

    public ushort ReadUInt16(string field)
    {
        Require(2, field);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_message[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32(string field)
    {
        Require(4, field);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_message[Position..]);
        Position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        Require(count, field);
        var bytes = _message.Slice(Position, count);
        Position += count;
        return bytes;
    }

    /// <summary>
    /// Reads a possibly compressed name (RFC 1035 section 4.1.4) and returns it as dig shows it, with its final dot.
    /// </summary>
    /// <remarks>
    /// A pointer must point before the start of the run of labels it ends: an encoder can only refer to a name it
    /// has already written, and the rule makes the jumps strictly decreasing, so no packet can make this loop.
    /// </remarks>
    public string ReadName()
    {
        var start = Position;
        var at = Position;
        var runStart = Position;
        var resumeAt = -1;
        var wireLength = 0;

        // Each label byte shows as at most four characters, and the label's length byte becomes its dot.
        Span<char> text = stackalloc char[DnsName.MaxWireLength * DnsName.MaxPresentationLength];
        var written = 0;
        while (true)
        {
            if (at >= _message.Length)
            {
                throw new DnsFormatException($"the name at offset {start} runs past the end of the message");
            }

            var length = _message[at];
            switch (length & 0xC0)
            {
                case 0x00:
                    wireLength += 1 + length;
                    if (wireLength > DnsName.MaxWireLength)
                    {
                        throw new DnsFormatException(
                            $"the name at offset {start} is longer than {DnsName.MaxWireLength} bytes");
                    }

                    if (length == 0)
                    {
                        Position = resumeAt >= 0 ? resumeAt : at + 1;
                        return written == 0 ? "." : new string(text[..written]);
                    }

                    if (length >= _message.Length - at)
                    {
                        throw new DnsFormatException($"the name at offset {start} runs past the end of the message");
                    }

                    written += DnsName.FormatLabel(_message.Slice(at + 1, length), text[written..]);
                    text[written++] = '.';
                    at += 1 + length;
                    break;

                case 0xC0:
                    if (at + 1 >= _message.Length)
                    {
                        throw new DnsFormatException($"the name at offset {start} runs past the end of the message");
                    }

                    var target = ((length & 0x3F) << 8) | _message[at + 1];
                    if (target >= _message.Length)
                    {
                        throw new DnsFormatException(
                            $"the compression pointer at offset {at} points to offset {target}, past the end of the message");
                    }

                    if (target < HeaderLength)
                    {
                        throw new DnsFormatException(
                            $"the compression pointer at offset {at} points to offset {target}, inside the header");
                    }

                    if (target >= runStart)
                    {
                        throw new DnsFormatException(
                            $"the compression pointer at offset {at} points to offset {target}, not to an earlier name (a loop)");
                    }

                    if (resumeAt < 0)
                    {
                        resumeAt = at + 2;
                    }

                    at = runStart = target;
                    break;

                default:
                    throw new DnsFormatException(
                        $"the label at offset {at} has length byte 0x{length:X2}: a label is at most {DnsName.MaxLabelLength} bytes");
            }
        }
    }

    private readonly void Require(int count, string field)
    {
        if (count > Remaining)
        {
            throw new DnsFormatException(
                $"the message ends at byte {_message.Length}, inside {field} at offset {Position}");
        }
    }
}
