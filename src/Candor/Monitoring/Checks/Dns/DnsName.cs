using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Candor.Monitoring.Checks.Dns;

/// <summary>Domain names as text: checking a name to ask for, writing it on the wire, and showing labels read back.</summary>
public static class DnsName
{
    public const int MaxLabelLength = 63;

    /// <summary>The limit of RFC 1035 counts the wire form: every label with its length byte, and the root byte.</summary>
    public const int MaxWireLength = 255;

    /// <summary>The most characters one byte of a label can take when shown: \DDD.</summary>
    internal const int MaxPresentationLength = 4;

    /// <summary>Printable ASCII that needs no escape in a name; the dot only separates labels.</summary>
    private static readonly SearchValues<char> PlainCharacters = SearchValues.Create(
        string.Concat(Enumerable.Range(0x21, 0x7F - 0x21).Select(c => (char)c).Where(c => !"\\\"();@$.".Contains(c))));

    /// <summary>
    /// Why <paramref name="name"/> cannot be asked for, or null when it can. Names to ask for are kept to characters
    /// that need no escaping, so that the text written in the config is exactly the text a response shows.
    /// </summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "the name is empty";
        }

        if (name == ".")
        {
            return null;
        }

        var labels = name.EndsWith('.') ? name[..^1].Split('.') : name.Split('.');
        var wireLength = 1;
        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                return $"'{name}' has an empty label";
            }

            if (label.Length > MaxLabelLength)
            {
                return $"the label '{label}' is {label.Length} characters long; DNS allows at most {MaxLabelLength}";
            }

            var badAt = label.AsSpan().IndexOfAnyExcept(PlainCharacters);
            if (badAt >= 0)
            {
                var bad = label[badAt];
                return bad > 0x7E
                    ? $"'{name}' is not ASCII; write an internationalised name in its xn-- form"
                    : $"'{name}' contains '{bad}' (U+{(int)bad:X4}), which has no place in a domain name";
            }

            wireLength += 1 + label.Length;
        }

        return wireLength > MaxWireLength
            ? $"'{name}' is {wireLength} bytes on the wire; DNS allows at most {MaxWireLength}"
            : null;
    }

    /// <summary>The name with its final dot, as responses show it; <paramref name="name"/> must have no <see cref="Problem"/>.</summary>
    public static string Absolute(string name) => name.EndsWith('.') ? name : name + ".";

    /// <summary>The name under in-addr.arpa or ip6.arpa whose PTR record names the host at <paramref name="address"/>.</summary>
    public static string Reverse(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var text = new StringBuilder();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                text.Append(bytes[i]).Append('.');
            }

            return text.Append("in-addr.arpa.").ToString();
        }

        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            text.Append("0123456789abcdef"[bytes[i] & 0xF]).Append('.');
            text.Append("0123456789abcdef"[bytes[i] >> 4]).Append('.');
        }

        return text.Append("ip6.arpa.").ToString();
    }

    /// <summary>Writes the uncompressed wire form; returns the number of bytes written.</summary>
    internal static int Write(string absoluteName, Span<byte> destination)
    {
        var length = 0;
        if (absoluteName != ".")
        {
            foreach (var label in absoluteName[..^1].Split('.'))
            {
                destination[length++] = (byte)label.Length;
                length += Encoding.ASCII.GetBytes(label, destination[length..]);
            }
        }

        destination[length++] = 0;
        return length;
    }

    internal static int WireLength(string absoluteName) => absoluteName == "." ? 1 : absoluteName.Length + 1;

    /// <summary>
    /// Writes one label read from the wire as dig shows it: special characters escaped, other bytes as \DDD. The
    /// destination must hold <see cref="MaxPresentationLength"/> characters per label byte; returns the count written.
    /// </summary>
    internal static int FormatLabel(ReadOnlySpan<byte> label, Span<char> destination)
    {
        var written = 0;
        foreach (var b in label)
        {
            if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$')
            {
                destination[written++] = '\\';
                destination[written++] = (char)b;
            }
            else if (b is > 0x20 and < 0x7F)
            {
                destination[written++] = (char)b;
            }
            else
            {
                destination[written++] = '\\';
                destination[written++] = (char)('0' + (b / 100));
                destination[written++] = (char)('0' + (b / 10 % 10));
                destination[written++] = (char)('0' + (b % 10));
            }
        }

        return written;
    }
}
