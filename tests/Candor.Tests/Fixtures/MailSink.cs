using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Candor.Bench.Peers;

namespace Candor.Tests.Fixtures;

/// <summary>One message as the SMTP server received it, parsed by Python's e-mail package.</summary>
public sealed record ReceivedMail(
    IReadOnlyList<string> EnvelopeTo, string? MessageId, string Subject, IReadOnlyDictionary<string, string> Headers, string? Text, string? Html);

/// <summary>
/// A real SMTP server: aiosmtpd, run by Debian's /usr/bin/python3 on a free port of 127.0.0.1, writing each
/// message it accepts to a folder (as JSON, whole, before it answers 250), and stopped by its PID. A machine
/// without python3-aiosmtpd fails the test: the notification tests are worth nothing against a fake.
/// </summary>
public sealed class MailSink : IAsyncDisposable
{
    private const string Handler = """
        import email, email.policy, json, os, sys, threading, uuid
        from aiosmtpd.controller import Controller

        folder, port = sys.argv[1], int(sys.argv[2])

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
                text = message.get_body(('plain',))
                html = message.get_body(('html',))
                document = {
                    'envelope_to': envelope.rcpt_tos,
                    'message_id': message['Message-ID'],
                    'subject': str(message['Subject']),
                    'headers': {name: str(value) for name, value in message.items()},
                    'text': text.get_content() if text is not None else None,
                    'html': html.get_content() if html is not None else None,
                }
                name = uuid.uuid4().hex
                with open(os.path.join(folder, name + '.tmp'), 'w') as out:
                    json.dump(document, out)
                os.rename(os.path.join(folder, name + '.tmp'), os.path.join(folder, name + '.json'))
                return '250 OK'

        controller = Controller(Handler(), hostname='127.0.0.1', port=port)
        controller.start()
        print('READY', flush=True)
        threading.Event().wait()
        """;

    private readonly TempDirectory _dir = new();
    private readonly Process _process;

    private MailSink(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Folder => Path.Combine(_dir.Path, "mail");

    public static async Task<MailSink> StartAsync()
    {
        var port = FreePort.Next();
        var sink = new MailSink(new Process(), port);
        Directory.CreateDirectory(sink.Folder);
        var script = sink._dir.Write("sink.py", Handler);
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(sink.Folder);
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        sink._process.StartInfo = info;
        sink._process.Start();
        var errors = sink._process.StandardError.ReadToEndAsync();
        var ready = sink._process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) != ready || await ready != "READY")
        {
            await sink.DisposeAsync();
            throw new InvalidOperationException(
                $"aiosmtpd did not start (apt-get install python3-aiosmtpd): {await errors}");
        }

        return sink;
    }

    /// <summary>Every message received so far.</summary>
    public List<ReceivedMail> Messages() =>
        [.. Directory.GetFiles(Folder, "*.json").Select(file =>
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            return new ReceivedMail(
                [.. root.GetProperty("envelope_to").EnumerateArray().Select(e => e.GetString()!)],
                root.GetProperty("message_id").GetString(),
                root.GetProperty("subject").GetString()!,
                root.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase),
                root.GetProperty("text").GetString(),
                root.GetProperty("html").GetString());
        })];

    public int Count => Directory.GetFiles(Folder, "*.json").Length;

    public List<ReceivedMail> To(string address) => [.. Messages().Where(m => m.EnvelopeTo.Contains(address))];

    /// <summary>Waits until a message to the address satisfies the condition, and returns it.</summary>
    public async Task<ReceivedMail> WaitForAsync(string address, Func<ReceivedMail, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (To(address).FirstOrDefault(condition) is { } found)
            {
                return found;
            }

            Assert.True(
                DateTime.UtcNow < deadline,
                $"no matching message to {address}; it has: {string.Join(" | ", To(address).Select(m => m.Subject))}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _dir.Dispose();
    }
}
