using System.Globalization;
using System.Text;

namespace Candor.Notifications;

/// <summary>
/// An e-mail as it goes over SMTP: RFC 5322 headers and a MIME body (RFC 2045 to 2047), all in 7-bit ASCII with CRLF
/// line ends, so it passes any relay. Text parts are UTF-8 in quoted-printable; headers that are not plain ASCII
/// are encoded words.
/// </summary>
internal static class MailText
{
    /// <summary>Quoted-printable output lines are at most 76 characters, the soft break's "=" included.</summary>
    private const int EncodedLine = 76;

    /// <summary>RFC 5322's hard limit on a line, without its CRLF.</summary>
    private const int LongestLine = 998;

    /// <summary>An encoded word is at most 75 characters: this many bytes of UTF-8 in base64 fit.</summary>
    private const int EncodedWordBytes = 45;

    /// <summary>Never found inside a quoted-printable part, where every "=" is followed by hex digits or a line end.</summary>
    private const string Boundary = "=_candor_alternative";

    private const string Hex = "0123456789ABCDEF";

    public static byte[] Compose(string from, string senderName, OutgoingMail mail, string messageId, DateTimeOffset date)
    {
        var text = new StringBuilder(mail.Text.Length + (mail.Html?.Length ?? 0) + 1024);
        Header(text, "From", $"{Phrase(senderName)} <{from}>");
        Header(text, "To", mail.To);
        Header(text, "Date", date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(text, "Subject", Unstructured("Subject", mail.Subject));
        Header(text, "Message-ID", messageId);
        foreach (var (name, value) in mail.Headers)
        {
            Header(text, name, Unstructured(name, value));
        }

        Header(text, "MIME-Version", "1.0");
        if (mail.Html is null)
        {
            Part(text, "text/plain", mail.Text);
            text.Append("\r\n");
        }
        else
        {
            Header(text, "Content-Type", $"multipart/alternative; boundary=\"{Boundary}\"");
            text.Append("\r\n--").Append(Boundary).Append("\r\n");
            Part(text, "text/plain", mail.Text);
            text.Append("\r\n--").Append(Boundary).Append("\r\n");
            Part(text, "text/html", mail.Html);
            text.Append("\r\n--").Append(Boundary).Append("--\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static void Header(StringBuilder text, string name, string value) => text.Append(name).Append(": ").Append(value).Append("\r\n");

    private static void Part(StringBuilder text, string type, string body)
    {
        text.Append("Content-Type: ").Append(type).Append("; charset=utf-8\r\n");
        text.Append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        QuotedPrintable(text, body);
    }

    /// <summary>A display name: as it is when it is only letters, digits and spaces; quoted when it is other ASCII.</summary>
    private static string Phrase(string name)
    {
        if (!IsPrintableAscii(name))
        {
            return EncodedWords(name);
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ')
            ? name
            : "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A header value of free text, encoded when it is not ASCII, could be read as encoded, or is too long for a line.</summary>
    private static string Unstructured(string name, string value) =>
        IsPrintableAscii(value) && !value.Contains("=?", StringComparison.Ordinal) && name.Length + 2 + value.Length <= LongestLine
            ? value
            : EncodedWords(value);

    private static bool IsPrintableAscii(string value) => value.All(c => c is >= ' ' and <= '~');

    /// <summary>RFC 2047 "B" words of whole characters, one per folded line.</summary>
    private static string EncodedWords(string value)
    {
        var words = new List<string>();
        var chunk = new List<byte>(EncodedWordBytes);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            if (chunk.Count + length > EncodedWordBytes)
            {
                words.Add(EncodedWord(chunk));
                chunk.Clear();
            }

            chunk.AddRange(utf8[..length]);
        }

        words.Add(EncodedWord(chunk));
        return string.Join("\r\n ", words);
    }

    private static string EncodedWord(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String([.. bytes]) + "?=";

    /// <summary>The body's lines joined by CRLF; the line end after the last belongs to what follows (a boundary, or the end).</summary>
    private static void QuotedPrintable(StringBuilder text, string body)
    {
        var lines = body.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            if (l > 0)
            {
                text.Append("\r\n");
            }

            var bytes = Encoding.UTF8.GetBytes(lines[l].EndsWith('\r') ? lines[l][..^1] : lines[l]);
            var width = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];

                // Spaces at a line end are encoded: relays may strip them.
                var literal = b is (>= 33 and <= 126) and not (byte)'=' || (b is (byte)' ' or (byte)'\t' && i < bytes.Length - 1);
                var size = literal ? 1 : 3;
                if (width + size > EncodedLine - 1)
                {
                    text.Append("=\r\n");
                    width = 0;
                }

                if (literal)
                {
                    text.Append((char)b);
                }
                else
                {
                    text.Append('=').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
                }

                width += size;
            }
        }
    }
}
