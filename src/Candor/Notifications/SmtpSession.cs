using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Candor.Monitoring.Checks.Smtp;

namespace Candor.Notifications;

/// <summary>
/// One connection to the relay (RFC 5321), greeted, upgraded with STARTTLS and authenticated once, then kept open
/// to carry one message after another: after a 250 to the end of DATA the next MAIL FROM may follow at once.
/// </summary>
/// <remarks>
/// <para>
/// A negative reply to a command leaves the connection usable (after RSET); a reply that cannot be read, a
/// dropped connection or a cancelled command leaves it <see cref="Broken"/>, not to be used again.
/// </para>
/// <para>
/// The dialogue runs on a thread of the session's own, with blocking reads and writes. A message costs four round
/// trips to a relay without PIPELINING; awaited on the thread pool, each reply woke the socket engine's thread,
/// which then woke a pool thread to read it, and on a machine of two cores those wake-ups cost more than the rest
/// of the delivery. A blocking read is woken once, by the reply itself. The thread also completes each turn's
/// task, so the delivery that awaited it goes on there and hands its next message, most often to this same
/// session, without waking another thread.
/// </para>
/// </remarks>
internal sealed class SmtpSession : IAsyncDisposable
{
    private const int MaxReplyLines = 200;

    private static readonly TimeSpan QuitWait = TimeSpan.FromSeconds(1);

    private static readonly byte[] EndOfData = ".\r\n"u8.ToArray();

    private readonly string _relay;
    private readonly Socket _socket;
    private readonly SmtpLineReader _lines;

    /// <summary>What the session's thread is to do next, in order; also the lock that guards it and <see cref="_closing"/>.</summary>
    private readonly Queue<Action> _turns = new();

    /// <summary>Set once the last turn is posted: the thread ends when the queue is empty.</summary>
    private bool _closing;

    private SmtpSession(Socket socket, string relay)
    {
        _socket = socket;
        _lines = new SmtpLineReader(new BlockingStream(socket));
        _relay = relay;
        new Thread(Serve) { IsBackground = true, Name = "SMTP session" }.Start();
    }

    /// <summary>After a failure that leaves the dialogue in an unknown state: the connection must be closed.</summary>
    public bool Broken { get; private set; }

    /// <summary>
    /// Whether the last message's data went out with its final dot: from then on the relay may have taken it, so a
    /// failure is no proof that it did not.
    /// </summary>
    public bool Handed { get; private set; }

    /// <summary>When the session was last given back to the pool.</summary>
    public DateTimeOffset IdleSince { get; set; }

    /// <summary>False when the relay has closed the connection while it sat idle (as relays do after a while).</summary>
    public bool LooksOpen => !Broken && !(_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0);

    public static async Task<SmtpSession> OpenAsync(SmtpConfig config, string clientName, CancellationToken cancellationToken)
    {
        var session = new SmtpSession(new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }, $"SMTP {config.Host}:{config.Port}");
        try
        {
            await session.OnOwnThreadAsync(token => session.GreetAsync(config, clientName, token), cancellationToken);
            return session;
        }
        catch
        {
            session.Broken = true;
            await session.DisposeAsync();
            throw;
        }
    }

    /// <param name="message">The whole message in CRLF lines, as <see cref="MailText"/> writes it.</param>
    public Task SendAsync(string from, string to, byte[] message, CancellationToken cancellationToken) =>
        OnOwnThreadAsync(token => TransactAsync(from, to, message, token), cancellationToken);

    /// <summary>Ends a transaction the relay refused part of, so the next message starts clean.</summary>
    public Task<bool> ResetAsync(CancellationToken cancellationToken) => OnOwnThreadAsync(ResetOnOwnThreadAsync, cancellationToken);

    /// <summary>Says QUIT when the dialogue is in a known state, briefly, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_turns)
        {
            if (_closing)
            {
                return;
            }
        }

        if (!Broken)
        {
            using var wait = new CancellationTokenSource(QuitWait);
            try
            {
                await OnOwnThreadAsync(token => CommandAsync("QUIT", token), wait.Token);
            }
            catch (Exception exception) when (exception is DeliveryException or OperationCanceledException)
            {
                // Closing anyway: a relay that does not answer QUIT has nothing more to say.
            }
        }

        lock (_turns)
        {
            _closing = true;
            Monitor.Pulse(_turns);
        }

        await _lines.Stream.DisposeAsync();
    }

    private void Serve()
    {
        while (true)
        {
            Action turn;
            lock (_turns)
            {
                while (_turns.Count == 0)
                {
                    if (_closing)
                    {
                        return;
                    }

                    Monitor.Wait(_turns);
                }

                turn = _turns.Dequeue();
            }

            turn();
        }
    }

    /// <summary>
    /// Runs a part of the dialogue on the session's thread, where the stream blocks and so the part is done when it
    /// returns; a cancellation closes the socket, the one way to end a blocking read.
    /// </summary>
    private Task<T> OnOwnThreadAsync<T>(Func<CancellationToken, Task<T>> dialogue, CancellationToken cancellationToken)
    {
        // Not RunContinuationsAsynchronously: whoever awaits goes on on this thread, as the remarks explain.
        var done = new TaskCompletionSource<T>();
        lock (_turns)
        {
            // A turn posted after the last would never be taken up, and its caller would wait for ever.
            ObjectDisposedException.ThrowIf(_closing, this);
            _turns.Enqueue(() =>
            {
                T result = default!;
                Exception? failure = null;
                using (cancellationToken.Register(static socket => ((Socket)socket!).Dispose(), _socket))
                {
                    try
                    {
                        result = dialogue(cancellationToken).GetAwaiter().GetResult();
                    }
                    catch (Exception exception)
                    {
                        failure = exception;
                    }
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    // The socket may be closed, whether or not the part had ended first.
                    Broken = true;
                    done.SetException(failure as OperationCanceledException ?? new OperationCanceledException(cancellationToken));
                }
                else if (failure is not null)
                {
                    done.SetException(failure);
                }
                else
                {
                    done.SetResult(result);
                }
            });
            Monitor.Pulse(_turns);
        }

        return done.Task;
    }

    private Task<bool> OnOwnThreadAsync(Func<CancellationToken, Task> dialogue, CancellationToken cancellationToken) =>
        OnOwnThreadAsync(async token =>
        {
            await dialogue(token);
            return true;
        }, cancellationToken);

    private async Task GreetAsync(SmtpConfig config, string clientName, CancellationToken cancellationToken)
    {
        try
        {
            // Connected with a blocking call: a socket once used asynchronously stays non-blocking, and its reads
            // would wait on the socket engine after all.
            _socket.Connect(config.Host, config.Port);
        }
        catch (SocketException exception)
        {
            throw Broke(exception);
        }

        await ExpectAsync(null, 220, cancellationToken);
        var capabilities = await HelloAsync(clientName, cancellationToken);
        if (config.Starttls)
        {
            if (!capabilities.ContainsKey("STARTTLS"))
            {
                throw new DeliveryException($"{_relay} does not offer STARTTLS, which notifications.smtp.starttls asks for", retryable: true);
            }

            await ExpectAsync("STARTTLS", 220, cancellationToken);
            await UpgradeAsync(config.Host, cancellationToken);
            capabilities = await HelloAsync(clientName, cancellationToken);
        }

        if (config.User is not null)
        {
            await AuthenticateAsync(capabilities, config.User, config.Password ?? "", cancellationToken);
        }
    }

    private async Task TransactAsync(string from, string to, byte[] message, CancellationToken cancellationToken)
    {
        Handed = false;
        await ExpectAsync($"MAIL FROM:<{from}>", 250, cancellationToken);
        await ExpectAsync($"RCPT TO:<{to}>", 250, cancellationToken);
        await ExpectAsync("DATA", 354, cancellationToken);
        Handed = true;
        try
        {
            await _lines.Stream.WriteAsync(DotStuffed(message), cancellationToken);
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            throw Broke(exception);
        }

        await ExpectAsync(null, 250, cancellationToken);
    }

    private async Task<bool> ResetOnOwnThreadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ExpectAsync("RSET", 250, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is DeliveryException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The data with every line that starts with a dot given one more (RFC 5321, 4.5.2), and the final dot.</summary>
    private static byte[] DotStuffed(byte[] message)
    {
        var dots = 0;
        for (var i = 0; i < message.Length; i++)
        {
            if (message[i] == '.' && (i == 0 || message[i - 1] == '\n'))
            {
                dots++;
            }
        }

        var endsLine = message.Length >= 2 && message[^2] == '\r' && message[^1] == '\n';
        var wire = new byte[message.Length + dots + (endsLine ? 0 : 2) + EndOfData.Length];
        var at = 0;
        for (var i = 0; i < message.Length; i++)
        {
            if (message[i] == '.' && (i == 0 || message[i - 1] == '\n'))
            {
                wire[at++] = (byte)'.';
            }

            wire[at++] = message[i];
        }

        if (!endsLine)
        {
            wire[at++] = (byte)'\r';
            wire[at++] = (byte)'\n';
        }

        EndOfData.CopyTo(wire, at);
        return wire;
    }

    /// <returns>The extensions the relay offers, by keyword in upper case, with their parameters.</returns>
    private async Task<Dictionary<string, string[]>> HelloAsync(string clientName, CancellationToken cancellationToken)
    {
        var (code, lines) = await CommandAsync($"EHLO {clientName}", cancellationToken);
        if (code != 250)
        {
            // A relay from before ESMTP: plain HELO, and no extensions.
            await ExpectAsync($"HELO {clientName}", 250, cancellationToken);
            return [];
        }

        var extensions = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var words in lines.Skip(1).Select(line => line.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (words.Length > 0)
            {
                extensions[words[0]] = words[1..];
            }
        }

        return extensions;
    }

    private async Task AuthenticateAsync(
        Dictionary<string, string[]> capabilities, string user, string password, CancellationToken cancellationToken)
    {
        var mechanisms = capabilities.GetValueOrDefault("AUTH") ?? [];
        if (mechanisms.Contains("PLAIN"))
        {
            await ExpectAsync("AUTH PLAIN " + Base64($"\0{user}\0{password}"), 235, cancellationToken, "AUTH PLAIN");
        }
        else if (mechanisms.Contains("LOGIN"))
        {
            await ExpectAsync("AUTH LOGIN", 334, cancellationToken);
            await ExpectAsync(Base64(user), 334, cancellationToken, "the user name");
            await ExpectAsync(Base64(password), 235, cancellationToken, "the password");
        }
        else
        {
            throw new DeliveryException($"{_relay} offers neither AUTH PLAIN nor AUTH LOGIN", retryable: false);
        }
    }

    private async Task UpgradeAsync(string host, CancellationToken cancellationToken)
    {
        if (_lines.HasUnread)
        {
            // Bytes that came before the handshake would be read as if they had come through TLS (RFC 3207, 6).
            Broken = true;
            throw new DeliveryException($"{_relay} sent more after its reply to STARTTLS, before the TLS handshake", retryable: true);
        }

        var tls = new SslStream(_lines.Stream, leaveInnerStreamOpen: false);
        _lines.Stream = tls;
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken);
        }
        catch (Exception exception) when (IsConnectionFailure(exception) || exception is AuthenticationException)
        {
            throw Broke(exception);
        }
    }

    /// <param name="command">Null to read a reply that comes unasked (the greeting, the reply to the data).</param>
    /// <param name="what">How a failure names the command, when it must not be quoted (credentials).</param>
    private async Task ExpectAsync(string? command, int expected, CancellationToken cancellationToken, string? what = null)
    {
        var (code, lines) = command is null ? await ReadReplyAsync(cancellationToken) : await CommandAsync(command, cancellationToken);
        if (code == expected || (expected == 250 && code == 251))
        {
            return;
        }

        if (code == 421)
        {
            // The relay is closing the connection.
            Broken = true;
        }

        var said = what ?? command ?? "the end of the data";
        throw new DeliveryException(
            $"{_relay} answered {code} {string.Join(" ", lines)} to {said}".TrimEnd(), retryable: code < 500);
    }

    private async Task<(int Code, List<string> Lines)> CommandAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            await _lines.Stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cancellationToken);
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            throw Broke(exception);
        }

        return await ReadReplyAsync(cancellationToken);
    }

    private async Task<(int Code, List<string> Lines)> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || (line.Length > 3 && line[3] is not (' ' or '-')) || lines.Count == MaxReplyLines)
            {
                Broken = true;
                throw new DeliveryException($"{_relay} does not speak SMTP: it sent '{line}'", retryable: true);
            }

            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return (code, lines);
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            line = await _lines.ReadLineAsync(cancellationToken);
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            throw Broke(exception);
        }
        catch (InvalidDataException exception)
        {
            Broken = true;
            throw new DeliveryException($"{_relay} sent {exception.Message}", retryable: true);
        }

        if (line is null)
        {
            Broken = true;
            throw new DeliveryException($"{_relay} closed the connection", retryable: true);
        }

        return line;
    }

    private static bool IsConnectionFailure(Exception exception) => exception is IOException or SocketException or OperationCanceledException;

    /// <returns>What to throw: a cancellation as it is, anything else as a delivery that may be tried again.</returns>
    private Exception Broke(Exception exception)
    {
        Broken = true;
        return exception is OperationCanceledException
            ? exception
            : new DeliveryException($"{_relay}: {exception.Message}", retryable: true, exception);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// The connection as the session's thread uses it: every call blocks until it is done, the asynchronous ones
    /// too, so that the reader and TLS, which are written against asynchronous streams, read and write through it
    /// with blocking calls.
    /// </summary>
    private sealed class BlockingStream(Socket socket) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => socket.Receive(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                buffer = buffer[socket.Send(buffer)..];
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                socket.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
