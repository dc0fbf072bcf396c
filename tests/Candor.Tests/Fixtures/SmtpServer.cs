using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Candor.Tests.Fixtures;

/// <summary>How a test wants its <see cref="SmtpServer"/>.</summary>
public sealed record SmtpServerOptions
{
    /// <summary>Offers STARTTLS with a self-signed certificate for localhost and 127.0.0.1, made by openssl.</summary>
    public bool StartTls { get; init; }

    /// <summary>Refuses everything but EHLO, STARTTLS and QUIT before TLS (aiosmtpd's require_starttls).</summary>
    public bool RequireTls { get; init; }

    /// <summary>With a password: the only credentials AUTH accepts. AUTH is offered after STARTTLS only.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>AUTH mechanisms not to offer, e.g. PLAIN, to see a client fall back to LOGIN.</summary>
    public IReadOnlyList<string> ExcludedAuthMechanisms { get; init; } = [];
}

/// <summary>One message the server took: the envelope and the message as it came, in RFC 5322 text.</summary>
public sealed record ReceivedMessage(string MailFrom, IReadOnlyList<string> Recipients, string Raw)
{
    /// <summary>The client's address and port: messages with the same one came over the same connection.</summary>
    public string Peer { get; init; } = "";

    /// <summary>The first header of that name, unfolded, or null.</summary>
    public string? Header(string name)
    {
        var head = Raw.ReplaceLineEndings("\n").Split("\n\n", 2)[0];
        var unfolded = head.Replace("\n ", " ", StringComparison.Ordinal).Replace("\n\t", " ", StringComparison.Ordinal);
        return unfolded.Split('\n')
            .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim())
            .FirstOrDefault();
    }

    /// <summary>What follows the header.</summary>
    public string Body => Raw.ReplaceLineEndings("\n").Split("\n\n", 2) is [_, var body] ? body : "";
}

/// <summary>
/// A real aiosmtpd on a port of 127.0.0.1 that the system picks, stopped by its PID. Each message it takes is written
/// to a folder as one JSON file, which <see cref="Messages"/> reads back, so a test sees exactly what went over the
/// wire. Use it as a class fixture (default options) or start one with <see cref="StartAsync"/>.
/// </summary>
public sealed class SmtpServer : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The name the server gives in its banner and EHLO reply.</summary>
    public const string Hostname = "smtp.test";

    private const string Missing = "aiosmtpd is not installed; ./test.sh installs it";

    /// <summary>aiosmtpd imports only under Debian's own interpreter, not another python3 earlier on PATH.</summary>
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Listens on port 0 and prints the port it got, so that no other process can take it between choosing and
    /// binding. Each message is written under a temporary name first, so the test never reads half a file.
    /// </summary>
    private const string Script = """
        import argparse, asyncio, json, os, ssl, sys
        from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

        parser = argparse.ArgumentParser()
        parser.add_argument("--maildir", required=True)
        parser.add_argument("--cert")
        parser.add_argument("--key")
        parser.add_argument("--require-tls", action="store_true")
        parser.add_argument("--user")
        parser.add_argument("--password")
        parser.add_argument("--exclude-auth", action="append", default=[])
        args = parser.parse_args()

        class Recorder:
            def __init__(self):
                self.count = 0

            async def handle_DATA(self, server, session, envelope):
                self.count += 1
                name = os.path.join(args.maildir, "%06d" % self.count)
                with open(name + ".tmp", "w", encoding="utf-8") as f:
                    json.dump({
                        "peer": "%s:%d" % session.peer[:2],
                        "mail_from": envelope.mail_from,
                        "recipients": envelope.rcpt_tos,
                        "raw": envelope.original_content.decode("utf-8", "replace"),
                    }, f)
                os.rename(name + ".tmp", name + ".json")
                return "250 OK queued as %06d" % self.count

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == args.user
                  and auth_data.password.decode() == args.password)
            return AuthResult(success=ok, handled=False)

        async def main():
            context = None
            if args.cert:
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(args.cert, args.key)
            recorder = Recorder()

            def factory():
                return SMTP(recorder, hostname="smtp.test", tls_context=context,
                            require_starttls=args.require_tls,
                            authenticator=authenticate if args.user else None,
                            auth_require_tls=True,
                            auth_exclude_mechanism=args.exclude_auth)

            server = await asyncio.get_running_loop().create_server(factory, host="127.0.0.1", port=0)
            print(server.sockets[0].getsockname()[1], flush=True)
            await server.serve_forever()

        asyncio.run(main())
        """;

    private readonly SmtpServerOptions _options;
    private readonly TempDirectory _directory = new();
    private readonly StringBuilder _errors = new();
    private Process? _process;

    public SmtpServer()
        : this(new SmtpServerOptions())
    {
    }

    public SmtpServer(SmtpServerOptions options)
    {
        _options = options;
        MailDirectory = Directory.CreateDirectory(Path.Combine(_directory.Path, "mail")).FullName;
    }

    public int Port { get; private set; }

    /// <summary>`127.0.0.1:PORT`, as a monitor's target.</summary>
    public string Target => $"127.0.0.1:{Port}";

    /// <summary>The openssl-made certificate (PEM) when <see cref="SmtpServerOptions.StartTls"/> is set.</summary>
    public string? CertificatePath { get; private set; }

    private string MailDirectory { get; }

    /// <summary>Every message taken so far, oldest first.</summary>
    public IReadOnlyList<ReceivedMessage> Messages =>
        [.. Directory.GetFiles(MailDirectory, "*.json").Order(StringComparer.Ordinal).Select(Read)];

    public static async Task<SmtpServer> StartAsync(SmtpServerOptions? options = null)
    {
        var server = new SmtpServer(options ?? new SmtpServerOptions());
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the first message that matches, or any message; fails the test when none comes in time.</summary>
    public async Task<ReceivedMessage> WaitForMessageAsync(Func<ReceivedMessage, bool>? match = null, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (Messages.FirstOrDefault(match ?? (_ => true)) is { } message)
            {
                return message;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no matching message reached the SMTP server within {seconds}s");
            await Task.Delay(50);
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException(Missing);
        }

        var script = _directory.Write("smtp_server.py", Script);
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in await ArgumentsAsync(script))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();

        string? line;
        using (var timeout = new CancellationTokenSource(StartTimeout))
        {
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                line = null;
            }
        }

        if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            await _process.WaitForExitAsync(CancellationToken.None);
            string errors;
            lock (_errors)
            {
                errors = _errors.ToString();
            }

            throw new InvalidOperationException(
                errors.Contains("No module named 'aiosmtpd'", StringComparison.Ordinal) ? Missing : $"aiosmtpd did not start:\n{errors}");
        }

        Port = port;
    }

    /// <summary>Stops the server's process, so connections are accepted by the kernel but wait unanswered until <see cref="Resume"/>.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            await _process.WaitForExitAsync(CancellationToken.None);
            _process.Dispose();
            _process = null;
        }

        _directory.Dispose();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private async Task<List<string>> ArgumentsAsync(string script)
    {
        var arguments = new List<string> { script, "--maildir", MailDirectory };
        if (_options.StartTls)
        {
            var (certificate, key) = await MakeCertificateAsync();
            CertificatePath = certificate;
            arguments.AddRange(["--cert", certificate, "--key", key]);
        }

        if (_options.RequireTls)
        {
            arguments.Add("--require-tls");
        }

        if (_options.Username is not null)
        {
            arguments.AddRange(["--user", _options.Username, "--password", _options.Password ?? ""]);
        }

        foreach (var mechanism in _options.ExcludedAuthMechanisms)
        {
            arguments.AddRange(["--exclude-auth", mechanism]);
        }

        return arguments;
    }

    private async Task<(string Certificate, string Key)> MakeCertificateAsync()
    {
        var certificate = Path.Combine(_directory.Path, "cert.pem");
        var key = Path.Combine(_directory.Path, "key.pem");
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "30", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        {
            start.ArgumentList.Add(argument);
        }

        Process openssl;
        try
        {
            openssl = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("openssl is not installed; ./test.sh installs it");
        }

        using (openssl)
        {
            var errors = openssl.StandardError.ReadToEndAsync();
            await openssl.StandardOutput.ReadToEndAsync();
            await openssl.WaitForExitAsync();
            if (openssl.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl could not make a certificate:\n{await errors}");
            }
        }

        return (certificate, key);
    }

    private static ReceivedMessage Read(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var root = document.RootElement;
        return new ReceivedMessage(
            root.GetProperty("mail_from").GetString() ?? "",
            [.. root.GetProperty("recipients").EnumerateArray().Select(r => r.GetString() ?? "")],
            root.GetProperty("raw").GetString() ?? "")
        {
            Peer = root.GetProperty("peer").GetString() ?? "",
        };
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process!.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
