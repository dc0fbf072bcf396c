using System.CommandLine;
using Candor.Hosting;

namespace Candor.Cli;

public static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "The config file (default: the built-in demo)" };
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen, e.g. http://0.0.0.0:8080 (several separated by ';')",
            DefaultValueFactory = _ => DefaultUrl,
        };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Write logs as JSON lines" };
        var command = new Command("serve", "Run the scheduler, the status page and the API") { config, urls, jsonLogs };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var listen = parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var self = LoopbackOf(listen[0]);
            var loaded = ConfigSource.Load(
                parse.GetValue(config),
                new Dictionary<string, string>
                {
                    ["SELF_URL"] = self.GetLeftPart(UriPartial.Authority),
                    ["SELF_ADDRESS"] = $"{self.Host}:{self.Port}",
                });
            if (!loaded.IsValid)
            {
                ConfigSource.PrintErrors(loaded, Console.Error);
                await Console.Error.WriteLineAsync("candor: not starting with an invalid config.");
                return 1;
            }

            var options = new CandorHostOptions(loaded.Config!, listen) { JsonLogs = parse.GetValue(jsonLogs) };
            await using var app = await CandorHost.BuildAsync(options, cancellationToken);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException exception)
            {
                // Kestrel names the address it could not listen on and why (taken, not allowed): all a user needs.
                await Console.Error.WriteLineAsync($"candor: {exception.Message}");
                return 1;
            }

            foreach (var url in app.Urls)
            {
                Console.WriteLine($"Candor is serving '{loaded.Config!.Page.Name}': open {url}/");
            }

            await app.WaitForShutdownAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }

    /// <summary>The address at which this server reaches itself, for the demo's self-monitors.</summary>
    private static Uri LoopbackOf(string url)
    {
        var uri = new Uri(url.Replace("://*:", "://localhost:", StringComparison.Ordinal)
            .Replace("://+:", "://localhost:", StringComparison.Ordinal));
        return uri.Host is "0.0.0.0" or "[::]" or "localhost"
            ? new UriBuilder(uri) { Host = "127.0.0.1" }.Uri
            : uri;
    }
}
