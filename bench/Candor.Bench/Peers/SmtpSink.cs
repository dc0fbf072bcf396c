using System.Globalization;

namespace Candor.Bench.Peers;

/// <summary>One message the SMTP server accepted, as it reported it the moment it did.</summary>
/// <param name="At">When the server took the end of DATA, just before it answered 250.</param>
/// <param name="Subject">The decoded Subject header.</param>
/// <param name="SavedAs">Where the whole message was written, for the first message of each subject; otherwise empty.</param>
internal sealed record AcceptedMail(DateTimeOffset At, string Recipients, string MessageId, string Subject, int Size, string SavedAs);

/// <summary>
/// A real SMTP server: aiosmtpd under Debian's own python3, on a port of 127.0.0.1 that the system picks, stopped
/// through its PID. It writes one line per message it accepts (time, recipients, Message-ID, subject, size) and
/// nothing to disk, so that what is measured is the sender, not the sink's filing.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    /// <summary>aiosmtpd imports only under Debian's interpreter, not another python3 earlier on PATH.</summary>
    public const string Python = "/usr/bin/python3";

    private const string Script = """
        import asyncio, os, sys, time
        from email.header import decode_header, make_header
        from email.parser import BytesHeaderParser
        from aiosmtpd.smtp import SMTP

        parser = BytesHeaderParser()
        folder = sys.argv[1]
        saved = set()

        def clean(value):
            return str(value or '').replace('\t', ' ').replace('\n', ' ').replace('\r', '')

        class Sink:
            async def handle_DATA(self, server, session, envelope):
                at = time.time()
                headers = parser.parsebytes(envelope.original_content)
                subject = str(make_header(decode_header(headers.get('Subject', ''))))
                path = ''
                if subject not in saved:
                    saved.add(subject)
                    path = os.path.join(folder, '%d.eml' % len(saved))
                    with open(path, 'wb') as file:
                        file.write(envelope.original_content)
                sys.stdout.write('%.6f\t%s\t%s\t%s\t%d\t%s\n' % (
                    at, clean(','.join(envelope.rcpt_tos)), clean(headers.get('Message-ID')), clean(subject),
                    len(envelope.original_content), path))
                sys.stdout.flush()
                return '250 OK'

        async def main():
            server = await asyncio.get_running_loop().create_server(
                lambda: SMTP(Sink(), hostname='sink.bench'), host='127.0.0.1', port=0, backlog=1024)
            print('PORT %d' % server.sockets[0].getsockname()[1], flush=True)
            await server.serve_forever()

        asyncio.run(main())
        """;

    /// <summary>
    /// glibc's allocator as it settles in a sink that has run a while. asyncio reads into a fresh 256 KiB buffer for
    /// every read; until the first read that fails (a client gone, say) frees such a buffer whole, glibc maps and
    /// unmaps each one from the kernel, which tripled the sink's CPU per message and so halved its rate, for
    /// whichever sender came first. Fixed thresholds above that size keep every sender on the settled path.
    /// </summary>
    private static readonly Dictionary<string, string?> SettledAllocator = new()
    {
        ["GLIBC_TUNABLES"] = "glibc.malloc.mmap_threshold=1048576:glibc.malloc.trim_threshold=8388608",
    };

    private readonly List<AcceptedMail> _accepted = [];
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChildProcess? _process;

    public int Port { get; private set; }

    public int Count
    {
        get
        {
            lock (_accepted)
            {
                return _accepted.Count;
            }
        }
    }

    public static async Task<SmtpSink> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var script = Path.Combine(directory, "smtp_sink.py");
        await File.WriteAllTextAsync(script, Script, cancellationToken);
        var sink = new SmtpSink();
        sink._process = ChildProcess.Start(Python, ["-u", script, directory], environment: SettledAllocator, onLine: sink.Read);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var exited = sink._process.WaitForExitAsync(timeout.Token);
            if (await Task.WhenAny(sink._port.Task, exited) != sink._port.Task)
            {
                throw new InvalidOperationException($"aiosmtpd did not start (apt-get install python3-aiosmtpd):\n{sink._process.Tail()}");
            }

            sink.Port = await sink._port.Task;
            return sink;
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }
    }

    /// <summary>The messages accepted after the first <paramref name="skip"/>, in the order they came.</summary>
    public List<AcceptedMail> Since(int skip)
    {
        lock (_accepted)
        {
            return _accepted.Skip(skip).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync("TERM", TimeSpan.FromSeconds(5));
            await _process.DisposeAsync();
        }
    }

    private void Read(string line)
    {
        if (line.StartsWith("PORT ", StringComparison.Ordinal))
        {
            _port.TrySetResult(int.Parse(line[5..], CultureInfo.InvariantCulture));
            return;
        }

        var fields = line.Split('\t');
        if (fields.Length != 6 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return;
        }

        var mail = new AcceptedMail(
            DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)),
            fields[1],
            fields[2],
            fields[3],
            int.Parse(fields[4], CultureInfo.InvariantCulture),
            fields[5]);
        lock (_accepted)
        {
            _accepted.Add(mail);
        }
    }
}
