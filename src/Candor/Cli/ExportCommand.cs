using System.CommandLine;
using Candor.Hosting;
using Candor.Monitoring.State;
using Candor.StatusPage;
using Candor.StatusPage.Site;
using Candor.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Candor.Cli;

/// <summary>
/// `candor export --out DIR`: the public status page as static files, from the store the config names, with no
/// server running, to be hosted where the service itself is not.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "The config whose store is exported (default: the built-in demo)" };
        var output = new Option<string>("--out") { Description = "The folder to write the files into", Required = true };
        var command = new Command("export", "Write the public status page, its API documents, feeds and badges as static files")
        {
            config,
            output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var self = new Uri(ServeCommand.DefaultUrl);
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
                return 2;
            }

            var directory = parse.GetValue(output)!;
            var files = await ExportAsync(loaded.Config!, directory, TimeProvider.System, cancellationToken);
            Console.WriteLine($"Exported {files.Count} files to {Path.GetFullPath(directory)}");
            return 0;
        });
        return command;
    }

    public static async Task<IReadOnlyList<string>> ExportAsync(
        Configuration.CandorConfig config, string directory, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var store = StoreFactory.Create(config.Storage);
        await store.MigrateAsync(cancellationToken);
        var now = clock.GetUtcNow();

        // The same picture the server would publish now: the stored states, and each component's first-seen time
        // (recorded now for a component the server has never run with, as the server itself would).
        var records = new ConfigRecords([], await store.SyncComponentsAsync([.. config.Components.Select(c => c.Id)], now, cancellationToken));
        var tracker = new MonitorStateTracker(
            config, await store.GetLocationStatesAsync(cancellationToken), await store.GetComponentStatesAsync(cancellationToken), now);
        using var snapshots = new LivePublicSnapshot(
            config,
            new CandorHostOptions(config, [ServeCommand.DefaultUrl]) { Clock = clock },
            store,
            tracker,
            records,
            new ChangeFeed(),
            clock,
            NullLogger<LivePublicSnapshot>.Instance);
        var snapshot = await snapshots.BuildAsync(cancellationToken);
        using var builder = new StatusSiteBuilder(config, store);
        var data = await builder.BuildAsync(snapshot, now, cancellationToken);
        return await StaticExport.WriteAsync(data, directory, cancellationToken);
    }
}
