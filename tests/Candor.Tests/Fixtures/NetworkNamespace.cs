using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;

namespace Candor.Tests.Fixtures;

/// <summary>
/// A host of its own for a test to reach over a real network path: a network namespace joined to the test's own by a
/// veth pair, optionally behind a second namespace that routes between them. Addresses come from one /24 of
/// 10.231.0.0/16 that nothing else on the machine uses. Loss and silence are made for real with nftables rules in
/// the target. Disposing stops what runs inside and deletes the namespaces, which takes their interfaces and the
/// route to them along.
/// </summary>
/// <remarks>
/// Layout of 10.231.N.0/24, directly: this host .1 — target .2. Behind a router: this host .1 — router .2, router .5 —
/// target .6, and this host routes .4/30 via .2.
/// </remarks>
public sealed class NetworkNamespace : IAsyncDisposable
{
    /// <summary>The port <see cref="StartHttpServerAsync"/> listens on, inside the target.</summary>
    public const int HttpPort = 8080;

    private const string Table = "candor";

    /// <summary>A small HTTP server that answers "Welcome" after the number of milliseconds in `?delay=`.</summary>
    private const string HttpServerScript = """
        import http.server, sys, time, urllib.parse

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                time.sleep(int(query.get("delay", ["0"])[0]) / 1000)
                body = b"Welcome"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler)
        print("ready", flush=True)
        server.serve_forever()
        """;

    private readonly string _id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private readonly List<Process> _processes = [];
    private readonly List<string> _namespaces = [];
    private readonly string _subnet;

    private NetworkNamespace(string subnet, bool behindRouter)
    {
        _subnet = subnet;
        Name = $"candor-{_id}";
        Address = IPAddress.Parse(behindRouter ? $"{subnet}.6" : $"{subnet}.2");
        RouterAddress = behindRouter ? IPAddress.Parse($"{subnet}.2") : null;
    }

    /// <summary>The target namespace, for `ip netns exec`.</summary>
    public string Name { get; }

    /// <summary>The target's address.</summary>
    public IPAddress Address { get; }

    /// <summary>The router's address on this host's side, when there is a router.</summary>
    public IPAddress? RouterAddress { get; }

    private string RootLink => $"cn{_id}a";

    /// <exception cref="InvalidOperationException">
    /// Namespaces cannot be made here: the tests need root (CAP_SYS_ADMIN and CAP_NET_ADMIN), iproute2 and nftables.
    /// </exception>
    public static async Task<NetworkNamespace> CreateAsync(bool behindRouter = false)
    {
        NetworkNamespace? network = null;
        try
        {
            network = new NetworkNamespace(await FreeSubnetAsync(), behindRouter);
            await network.BuildAsync(behindRouter);
            return network;
        }
        catch (Exception ex)
        {
            if (network is not null)
            {
                await network.DisposeAsync();
            }

            throw new InvalidOperationException(
                $"cannot set up a network namespace for the test: {ex.Message}. The network tests need root (CAP_SYS_ADMIN, "
                + "CAP_NET_ADMIN) and the Debian packages iproute2 and nftables, which ./test.sh installs.",
                ex);
        }
    }

    /// <summary>Adds an nftables rule to the target's input, e.g. <c>meta l4proto icmp drop</c>.</summary>
    public Task AddInputRuleAsync(string rule) => InTargetAsync(["nft", "-f", "-"], $"add rule inet {Table} input {rule}\n");

    /// <summary>Starts the HTTP server in the target on <see cref="HttpPort"/>; it stops with the namespace.</summary>
    public async Task StartHttpServerAsync()
    {
        var start = new ProcessStartInfo(ExternalCommand.Find("ip"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", Name, Python, "-c", HttpServerScript, Address.ToString(), $"{HttpPort}"])
        {
            start.ArgumentList.Add(argument);
        }

        var server = Process.Start(start)!;
        _processes.Add(server);
        var ready = server.StandardOutput.ReadLineAsync();
        var started = await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) == ready && await ready == "ready";
        if (!started)
        {
            // Killed first, so that its error output ends and can be read to the end.
            server.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the HTTP server in {Name} did not start: {await server.StandardError.ReadToEndAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        // Each step is tried even when one before it failed, so that nothing is left behind that could be removed.
        foreach (var name in _namespaces)
        {
            await TryAsync("netns", "delete", name);
        }

        await TryAsync("link", "delete", RootLink);
    }

    private async Task BuildAsync(bool behindRouter)
    {
        var router = $"{Name}-r";
        var first = behindRouter ? router : Name;
        await AddNamespaceAsync(first);
        await IpAsync("link", "add", RootLink, "type", "veth", "peer", "name", $"cn{_id}b", "netns", first);
        await IpAsync("address", "add", $"{_subnet}.1/30", "dev", RootLink);
        await IpAsync("link", "set", RootLink, "up");
        await IpAsync("-n", first, "address", "add", $"{_subnet}.2/30", "dev", $"cn{_id}b");
        await IpAsync("-n", first, "link", "set", $"cn{_id}b", "up");

        if (behindRouter)
        {
            await AddNamespaceAsync(Name);
            await IpAsync("-n", router, "link", "add", $"cn{_id}c", "type", "veth", "peer", "name", $"cn{_id}d", "netns", Name);
            await IpAsync("-n", router, "address", "add", $"{_subnet}.5/30", "dev", $"cn{_id}c");
            await IpAsync("-n", router, "link", "set", $"cn{_id}c", "up");
            await IpAsync("-n", Name, "address", "add", $"{_subnet}.6/30", "dev", $"cn{_id}d");
            await IpAsync("-n", Name, "link", "set", $"cn{_id}d", "up");
            await IpAsync("-n", Name, "route", "add", "default", "via", $"{_subnet}.5");
            await IpAsync("route", "add", $"{_subnet}.4/30", "via", $"{_subnet}.2", "dev", RootLink);
            // /proc/sys/net shows the settings of the namespace of whoever opens it.
            await ExternalCommand.RunAsync("ip", ["netns", "exec", router, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"]);
        }

        await InTargetAsync(
            ["nft", "-f", "-"],
            $"add table inet {Table}\nadd chain inet {Table} input {{ type filter hook input priority 0; policy accept; }}\n");
    }

    private async Task AddNamespaceAsync(string name)
    {
        await IpAsync("netns", "add", name);
        _namespaces.Add(name);
        await IpAsync("-n", name, "link", "set", "lo", "up");
    }

    private Task<string> InTargetAsync(string[] command, string? input = null) =>
        ExternalCommand.RunAsync("ip", ["netns", "exec", Name, ExternalCommand.Find(command[0]), .. command[1..]], input);

    private static Task<string> IpAsync(params string[] arguments) => ExternalCommand.RunAsync("ip", arguments);

    private static async Task TryAsync(params string[] arguments)
    {
        try
        {
            await IpAsync(arguments);
        }
        catch (InvalidOperationException)
        {
            // Already gone: a veth goes when its peer's namespace does.
        }
    }

    /// <summary>A /24 of 10.231.0.0/16 with no address or route on this host; the tests that use one run one at a time.</summary>
    private static async Task<string> FreeSubnetAsync()
    {
        var inUse = (await IpAsync("-4", "address") + await IpAsync("-4", "route")).Split((char[])[' ', '\n', '\t']);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var subnet = $"10.231.{RandomNumberGenerator.GetInt32(256)}";
            if (!inUse.Any(word => word.StartsWith($"{subnet}.", StringComparison.Ordinal)))
            {
                return subnet;
            }
        }

        throw new InvalidOperationException("no free /24 left in 10.231.0.0/16");
    }

    /// <summary>Debian's own python3, which every Debian machine with python has, rather than another one earlier on PATH.</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
