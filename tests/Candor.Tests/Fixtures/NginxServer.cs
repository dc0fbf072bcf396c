using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Candor.Bench.Peers;

namespace Candor.Tests.Fixtures;

/// <summary>
/// A real nginx serving a folder of static files on a free port of 127.0.0.1, from a minimal config of its own
/// (one process, no daemon, logs and temporary files in a directory of its own), stopped by its PID.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly Process _process;

    private NginxServer(TempDirectory dir, Process process, int port)
    {
        _dir = dir;
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    public static async Task<NginxServer> StartAsync(string root)
    {
        var nginx = ExternalCommand.Find("nginx");
        if (!File.Exists(nginx))
        {
            throw new InvalidOperationException("nginx is not installed; ./test.sh installs it (apt-get install nginx)");
        }

        // A port that was free a moment ago may be taken by the time nginx binds it: then try another.
        for (var attempt = 1; ; attempt++)
        {
            var dir = new TempDirectory();
            var port = FreePort.Next();
            var config = dir.Write("nginx.conf", Config(dir.Path, root, port));
            var start = new ProcessStartInfo(nginx)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-p", dir.Path, "-c", config, "-e", Path.Combine(dir.Path, "error.log"), "-g", "daemon off;" })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            if (await LocalPort.WaitUntilAcceptingAsync(port, process, TimeSpan.FromSeconds(10)))
            {
                return new NginxServer(dir, process, port);
            }

            var log = File.Exists(Path.Combine(dir.Path, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(dir.Path, "error.log")) : "";
            await StopAsync(process);
            dir.Dispose();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"nginx did not start on port {port}:\n{log}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_process);
        _dir.Dispose();
    }

    /// <summary>One process (no master and workers to chase), reading the folder as the user who started it.</summary>
    private static string Config(string dir, string root, int port) => string.Create(CultureInfo.InvariantCulture, $$"""
        master_process off;
        worker_processes 1;
        pid {{dir}}/nginx.pid;
        error_log {{dir}}/error.log;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path {{dir}}/client_body;
            proxy_temp_path {{dir}}/proxy;
            fastcgi_temp_path {{dir}}/fastcgi;
            uwsgi_temp_path {{dir}}/uwsgi;
            scgi_temp_path {{dir}}/scgi;
            types {
                text/html html;
                text/css css;
                text/javascript js;
                image/svg+xml svg;
                application/json json;
                application/atom+xml atom;
                application/rss+xml rss;
                text/calendar ics;
            }
            default_type application/octet-stream;
            charset utf-8;
            charset_types text/css text/javascript application/json image/svg+xml application/atom+xml application/rss+xml text/calendar;
            server {
                listen 127.0.0.1:{{port}};
                root {{root}};
                index index.html;
            }
        }
        """);

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
    }
}
