using System.Globalization;
using System.Net.Security;
using System.Text;

namespace Candor.Monitoring.Checks.Smtp;

/// <summary>One SMTP reply: its code and the text of each of its lines (RFC 5321, section 4.2).</summary>
internal sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>How much of a reply a failure message quotes.</summary>
    private const int QuotedChars = 200;

    /// <summary>The reply as the server wrote it, on one line and cut short, for messages: "554 5.3.2 go away".</summary>
    public override string ToString()
    {
        var text = $"{Code} {string.Join(" ", Lines)}".TrimEnd();
        return text.Length > QuotedChars ? text[..QuotedChars] + "…" : text;
    }
}

/// <summary>
/// The wire side of an SMTP client: sends command lines, reads replies of one or more lines, sends a message
/// with its dots stuffed, and upgrades the connection in place after STARTTLS.
/// </summary>
/// <exception cref="ProbeException">From every read: the peer closed the connection or does not speak SMTP.</exception>
internal sealed class SmtpConnection(Stream stream, HostPort endpoint, ProbeTrace trace) : IAsyncDisposable
{
    /// <summary>No real reply comes near this; a peer that sends more is not an SMTP server.</summary>
    private const int MaxReplyLines = 200;

    private readonly SmtpLineReader _lines = new(stream);

    public async Task<SmtpReply> CommandAsync(string line, CancellationToken cancellationToken)
    {
        await _lines.Stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cancellationToken);
        return await ReadReplyAsync(cancellationToken);
    }

    public async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        int? code = null;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length < 3 || !line[..3].All(char.IsAsciiDigit) || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new ProbeException(ErrorKind.Protocol, $"{endpoint} does not speak SMTP: it sent '{Printable(line)}'");
            }

            var lineCode = int.Parse(line[..3], NumberStyles.None, CultureInfo.InvariantCulture);
            if (code is { } first && first != lineCode)
            {
                throw new ProbeException(ErrorKind.Protocol, $"{endpoint} mixed the codes {first} and {lineCode} in one reply");
            }

            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(lineCode, lines);
            }

            if (lines.Count == MaxReplyLines)
            {
                throw new ProbeException(ErrorKind.Protocol, $"{endpoint} sent a reply of more than {MaxReplyLines} lines");
            }
        }
    }

    /// <summary>Sends the text of a message after DATA was accepted, and the line with a lone dot that ends it.</summary>
    public async Task<SmtpReply> SendMessageAsync(string message, CancellationToken cancellationToken)
    {
        var wire = new StringBuilder(message.Length + 16);
        foreach (var line in message.ReplaceLineEndings("\n").Split('\n'))
        {
            // A line that starts with a dot gets one more, so that no line of the message can end it early.
            wire.Append(line.StartsWith('.') ? "." : "").Append(line).Append("\r\n");
        }

        wire.Append(".\r\n");
        await _lines.Stream.WriteAsync(Encoding.UTF8.GetBytes(wire.ToString()), cancellationToken);
        return await ReadReplyAsync(cancellationToken);
    }

    /// <summary>Makes the TLS handshake on the connection, after the server said 220 to STARTTLS.</summary>
    public async Task UpgradeAsync(SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        if (_lines.HasUnread)
        {
            // Bytes that came before the handshake would be read as if they had come through TLS: the injection
            // that RFC 3207's security section warns of. An honest server never sends them.
            throw new ProbeException(
                ErrorKind.Protocol, $"{endpoint} sent more after its reply to STARTTLS, before the TLS handshake");
        }

        var tls = new SslStream(_lines.Stream, leaveInnerStreamOpen: false);
        _lines.Stream = tls;
        await tls.AuthenticateAsClientAsync(options, cancellationToken);
    }

    public ValueTask DisposeAsync() => _lines.Stream.DisposeAsync();

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            line = await _lines.ReadLineAsync(cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            throw new ProbeException(ErrorKind.Protocol, $"{endpoint} sent {exception.Message}");
        }

        return line ?? throw new ProbeException(ErrorKind.Connect, _lines.HasUnread
            ? $"{endpoint} closed the connection in the middle of a reply, while {trace.Phase}"
            : $"{endpoint} closed the connection while {trace.Phase}");
    }

    /// <summary>Shows control characters as escapes, so a message stays on one line.</summary>
    private static string Printable(string text)
    {
        var cut = text.Length > 100 ? text[..100] + "…" : text;
        return string.Concat(cut.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
    }
}
