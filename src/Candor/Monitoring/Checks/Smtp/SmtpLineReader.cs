using System.Text;

namespace Candor.Monitoring.Checks.Smtp;

/// <summary>
/// Reads the lines of an SMTP reply through a buffer of fixed size: the one piece that the smtp check and the
/// mailer of notifications share, each turning its outcomes into its own errors.
/// </summary>
internal sealed class SmtpLineReader(Stream stream)
{
    /// <summary>RFC 5321 allows 512 octets per reply line; this leaves room for servers that are generous.</summary>
    public const int MaxLineBytes = 4096;

    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private int _start;
    private int _end;

    /// <summary>Where lines are read from; replaced by the TLS stream after STARTTLS.</summary>
    public Stream Stream { get; set; } = stream;

    /// <summary>Whether bytes have come that no line has taken yet.</summary>
    public bool HasUnread => _end > _start;

    /// <returns>The next line without its line end, or null when the peer closed the connection.</returns>
    /// <exception cref="InvalidDataException">A line longer than <see cref="MaxLineBytes"/>.</exception>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var length = newline > _start && _buffer[newline - 1] == '\r' ? newline - 1 - _start : newline - _start;
                var line = Encoding.UTF8.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new InvalidDataException($"a line longer than {MaxLineBytes} bytes");
            }

            var read = await Stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }
}
