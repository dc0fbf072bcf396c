using System.Globalization;

namespace Candor.Bench.Peers;

/// <summary>
/// A real nginx on a free port of 127.0.0.1, serving a folder: the probes' target and the static-file baseline of
/// the status page. It runs in the foreground under this process, so it is stopped through its own PID.
/// </summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private Nginx(ChildProcess process, int port, string root)
    {
        _process = process;
        Port = port;
        Root = root;
    }

    public int Port { get; }

    /// <summary>The master's; its workers are its children.</summary>
    public int Pid => _process.Pid;

    /// <summary>The CPU time of the master and its workers so far.</summary>
    public CpuTime Cpu() => CpuTime.Of(CpuTime.WithDescendants(Pid));

    /// <summary>The folder it serves; files written here are served at once.</summary>
    public string Root { get; }

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path.TrimStart('/')}");

    public static async Task<Nginx> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var root = Directory.CreateDirectory(Path.Combine(directory, "www")).FullName;
        Directory.CreateDirectory(Path.Combine(directory, "temp"));
        // Its workers run as an unprivileged user when started as root: they must be able to read the folder.
        File.SetUnixFileMode(root, Permissions.WorldReadableDirectory);
        var port = FreePort.Next();
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(directory, root, port), cancellationToken);
        // Debian puts it in /usr/sbin, which is not on every PATH.
        var process = ChildProcess.Start(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", ["-p", directory, "-c", config]);
        var nginx = new Nginx(process, port, root);
        try
        {
            await FreePort.WaitUntilListeningAsync(port, process, cancellationToken);
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a file that nginx serves at <paramref name="path"/>.</summary>
    public async Task PublishAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Root, path.TrimStart('/'));
        var folder = Path.GetDirectoryName(file)!;
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, Permissions.WorldReadableDirectory);
        await File.WriteAllBytesAsync(file, content, cancellationToken);
        File.SetUnixFileMode(file, Permissions.WorldReadableFile);
    }

    /// <summary>QUIT lets the workers finish what they serve; the suite has stopped sending by then.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync("QUIT", TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
    }

    /// <remarks>
    /// Two workers (one per core here) with room for every connection the load generators open, and no access
    /// log: the baseline is the cost of serving bytes, not of writing a log line per request.
    /// </remarks>
    private static string Config(string directory, string root, int port) => string.Create(CultureInfo.InvariantCulture, $$"""
        daemon off;
        worker_processes auto;
        worker_rlimit_nofile 16384;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 8192; }
        http {
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            access_log off;
            sendfile on;
            tcp_nopush on;
            keepalive_requests 1000000;
            client_body_temp_path {{directory}}/temp/body;
            proxy_temp_path {{directory}}/temp/proxy;
            fastcgi_temp_path {{directory}}/temp/fastcgi;
            uwsgi_temp_path {{directory}}/temp/uwsgi;
            scgi_temp_path {{directory}}/temp/scgi;
            server {
                listen 127.0.0.1:{{port}} backlog=4096;
                root {{root}};
            }
        }
        """);
}
