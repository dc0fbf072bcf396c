using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Candor.Bench.Peers;

namespace Candor.Tests.Fixtures;

/// <summary>
/// A real dnsmasq on a free port of 127.0.0.1, serving the zone acme.example from its command line, plus a second
/// dnsmasq behind it that makes the names under broken.test fail with SERVFAIL. Both are stopped by their PID.
/// </summary>
/// <remarks>
/// dnsmasq answers SERVFAIL for a name it cannot validate: the front server validates DNSSEC against the real
/// root key, and the upstream gives unsigned answers, so every forwarded name is bogus — the most common cause of
/// SERVFAIL in the wild. An upstream that is merely down gets no answer at all from dnsmasq, not a SERVFAIL.
/// </remarks>
public sealed class DnsmasqServer : IAsyncLifetime
{
    public const string Zone = "acme.example";

    /// <summary>Its TXT record is bigger than the 1232 bytes a query advertises, so the UDP answer is truncated.</summary>
    public const string BigTxtName = "big.acme.example";

    public const string ServFailName = "www.broken.test";

    public const int BigTxtStrings = 8;

    /// <summary>The TTL of every local record.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private const string RootTrustAnchor =
        ".,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly List<RunningDnsmasq> _running = [];

    public int Port { get; private set; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>`127.0.0.1:PORT`, as a monitor's `server` setting.</summary>
    public string Server => $"127.0.0.1:{Port}";

    public static string BigTxtString(int index) => new((char)('a' + index), 200);

    public async Task InitializeAsync()
    {
        var binary = FindDnsmasq()
            ?? throw new InvalidOperationException("dnsmasq is not installed; ./test.sh installs it");
        try
        {
            var upstream = await StartAsync(binary, ["--address=/broken.test/192.0.2.99"]);
            var front = await StartAsync(binary, ZoneArguments(upstream.Port));
            Port = front.Port;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var dnsmasq in _running)
        {
            await dnsmasq.StopAsync();
        }

        _running.Clear();
    }

    private static string[] ZoneArguments(int upstreamPort) =>
    [
        "--local-ttl=" + (int)Ttl.TotalSeconds,
        "--host-record=www.acme.example,192.0.2.10,2001:db8::10",
        "--host-record=multi.acme.example,192.0.2.21",
        "--host-record=multi.acme.example,192.0.2.22",
        "--cname=shop.acme.example,www.acme.example",
        "--mx-host=acme.example,mail.acme.example,10",
        "--mx-host=acme.example,mail2.acme.example,20",
        "--txt-record=acme.example,v=spf1 -all",
        "--txt-record=odd.acme.example,say \"hi\",back\\slash,tab\tend",
        "--txt-record=" + BigTxtName + "," + string.Join(',', Enumerable.Range(0, BigTxtStrings).Select(BigTxtString)),
        "--ptr-record=20.2.0.192.in-addr.arpa,host.acme.example",
        "--caa-record=acme.example,0,issue,letsencrypt.org",
        "--caa-record=acme.example,128,iodef,mailto:security@acme.example",
        "--dns-rr=acme.example,2," + Hex(Name("ns1.acme.example")),
        "--dns-rr=acme.example,2," + Hex(Name("ns2.acme.example")),
        "--dns-rr=acme.example,6," + Hex(
            [.. Name("ns1.acme.example"), .. Name("hostmaster.acme.example"), .. UInt32s(2026112201, 7200, 900, 1209600, 300)]),
        "--dns-rr=raw.acme.example,65280,0A000001",

        // Names of the zone that have no record are NXDOMAIN here, not forwarded.
        "--local=/acme.example/",
        $"--server=127.0.0.1#{upstreamPort}",
        "--dnssec",
        "--trust-anchor=" + RootTrustAnchor,
    ];

    private async Task<RunningDnsmasq> StartAsync(string binary, string[] arguments)
    {
        // A port that was free a moment ago may be taken by the time dnsmasq binds it: then try another.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var start = new ProcessStartInfo(binary)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in CommonArguments(port).Concat(arguments))
            {
                start.ArgumentList.Add(argument);
            }

            var dnsmasq = new RunningDnsmasq(Process.Start(start)!, port);
            _running.Add(dnsmasq);
            if (await dnsmasq.WaitUntilListeningAsync(StartTimeout))
            {
                return dnsmasq;
            }

            await dnsmasq.StopAsync();
            _running.Remove(dnsmasq);
            if (attempt == 3)
            {
                throw new InvalidOperationException($"dnsmasq did not start on port {port}:\n{dnsmasq.Output}");
            }
        }
    }

    private static string[] CommonArguments(int port) =>
    [
        "--no-daemon",
        "--keep-in-foreground",
        $"--port={port}",
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        "--no-resolv",
        "--no-hosts",
        "--conf-file=/dev/null",
        "--log-facility=-",
    ];

    private static string? FindDnsmasq()
    {
        // A test runner's PATH often lacks the sbin directories where Debian puts dnsmasq.
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"])
            .Select(directory => Path.Combine(directory, "dnsmasq"))
            .FirstOrDefault(File.Exists);
    }

    private static byte[] Name(string name) =>
        [.. name.Split('.').SelectMany(label => new[] { (byte)label.Length }.Concat(Encoding.ASCII.GetBytes(label))), 0];

    private static byte[] UInt32s(params uint[] values) =>
        [.. values.SelectMany(v => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v })];

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    private sealed class RunningDnsmasq
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public RunningDnsmasq(Process process, int port)
        {
            _process = process;
            Port = port;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Port { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        /// <summary>Waits until the TCP side accepts, which dnsmasq opens together with the UDP one.</summary>
        public Task<bool> WaitUntilListeningAsync(TimeSpan timeout) => LocalPort.WaitUntilAcceptingAsync(Port, _process, timeout);

        public async Task StopAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            await _process.WaitForExitAsync(CancellationToken.None);
            _process.Dispose();
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
