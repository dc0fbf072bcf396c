using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Candor.AdminConsole;
using Candor.Configuration;
using Candor.Diagnostics;
using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Monitoring.Scheduling;
using Candor.Monitoring.State;
using Candor.Notifications;
using Candor.Security;
using Candor.StatusPage;
using Candor.StatusPage.Api;
using Candor.StatusPage.Site;
using Candor.Storage;
using Candor.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Candor.Hosting;

/// <summary>What `candor serve` needs to start: a valid config, where to listen, and the clock.</summary>
public sealed record CandorHostOptions(CandorConfig Config, IReadOnlyList<string> Urls)
{
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public bool JsonLogs { get; init; }

    public SchedulerOptions Scheduler { get; init; } = new();

    public ResultPipelineOptions Pipeline { get; init; } = new();

    public DiagnosticsOptions Diagnostics { get; init; } = new();
}

/// <summary>Builds the one process that schedules checks, stores results and serves the web and the API.</summary>
public static class CandorHost
{
    /// <summary>
    /// Opens and migrates the store and reloads the stored state before anything runs, so the first check
    /// after a restart continues from where the last process stopped.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(CandorHostOptions options, CancellationToken cancellationToken)
    {
        var config = options.Config;
        var clock = options.Clock;
        var store = StoreFactory.Create(config.Storage);
        await store.MigrateAsync(cancellationToken);
        var now = clock.StoredNow();
        var records = new ConfigRecords(
            await store.SyncMonitorsAsync([.. config.Monitors.Select(Registration)], now, cancellationToken),
            await store.SyncComponentsAsync([.. config.Components.Select(c => c.Id)], now, cancellationToken));
        var tracker = new MonitorStateTracker(
            config,
            await store.GetLocationStatesAsync(cancellationToken),
            await store.GetComponentStatesAsync(cancellationToken),
            now);

        var changes = new ChangeFeed();
        var incidents = await IncidentEngine.LoadAsync(config, store, tracker, changes, cancellationToken);
        var maintenance = await MaintenanceGuard.LoadAsync(config, store, tracker, changes, cancellationToken);

        // Candor reads candor.yaml, not appsettings.json; a watcher for the latter would wake on every write of a
        // SQLite store kept below the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls([.. options.Urls]);

        // A Server header names the software an attacker would look up vulnerabilities for, and tells no client anything.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Logging.ClearProviders();

        // ASP.NET Core writes four lines for every request at Information: at the rate a status page is read when
        // the world opens it, writing them costs more than serving the page. Its warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // The host logs nothing for a request above Debug, yet while its category is enabled at all it starts an
        // Activity and a logging scope for every request, which costs a fifth of the rate at which summary.json is
        // served. Errors in requests are logged by the exception handler and Kestrel, under their own categories.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        // `candor serve` reports a failure to listen in one line; the host would say it again with a stack trace.
        var services = builder.Logging.Services;
        services.Remove(services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)));
        services.AddSingleton<ILoggerProvider>(sp => new ConsoleWithoutBindFailure(
            new ConsoleLoggerProvider(sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), sp.GetServices<ConsoleFormatter>())));

        builder.AddCandor(options, store, tracker, incidents, maintenance, changes, records);
        var app = builder.Build();
        app.MapCandor();
        return app;
    }

    public static void AddCandor(
        this WebApplicationBuilder builder,
        CandorHostOptions options,
        ICandorStore store,
        MonitorStateTracker tracker,
        IncidentEngine incidents,
        MaintenanceGuard maintenance,
        ChangeFeed changes,
        ConfigRecords records)
    {
        var services = builder.Services;
        services.AddSingleton(options.Config);
        services.AddSingleton(options.Clock);
        services.AddSingleton(options.Scheduler);
        services.AddSingleton(options.Pipeline);
        services.AddSingleton(store);
        services.AddSingleton<IMailProbeLedger>(store);
        services.AddSingleton(tracker);
        services.AddSingleton(incidents);
        services.AddSingleton(maintenance);
        services.AddSingleton(changes);
        services.AddSingleton(options);
        services.AddSingleton(records);
        services.AddSingleton(CheckCatalog.All);
        services.AddSingleton<CheckRunner>();
        services.AddSingleton(options.Diagnostics);
        services.AddSingleton<ITracerouteRunner, IcmpTracerouteRunner>();
        services.AddSingleton<IDiagnosticCollector, DiagnosticCollector>();

        // Hosted services stop in reverse order: the scheduler stops first, then the pipeline drains, and the
        // diagnoses its last writes asked for are given up last.
        services.AddSingleton<DiagnosticWorker>();
        services.AddSingleton<IDiagnosticRequests>(sp => sp.GetRequiredService<DiagnosticWorker>());
        services.AddHostedService(sp => sp.GetRequiredService<DiagnosticWorker>());
        services.AddSingleton<ResultPipeline>();
        services.AddSingleton<IResultSink>(sp => sp.GetRequiredService<ResultPipeline>());
        services.AddHostedService(sp => sp.GetRequiredService<ResultPipeline>());
        services.AddSingleton<CheckScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckScheduler>());
        services.AddHostedService<ResultRetention>();
        services.AddHostedService<RollupFolder>();
        services.AddSingleton<LivePublicSnapshot>();
        services.AddSingleton<IPublicSnapshotSource>(sp => sp.GetRequiredService<LivePublicSnapshot>());
        services.AddHostedService(sp => sp.GetRequiredService<LivePublicSnapshot>());
        services.AddSingleton<StatusSiteBuilder>();
        services.AddSingleton<LiveStatusSite>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveStatusSite>());

        // The outbox starts last and so stops first: nothing it sends is cut off by the snapshot going away.
        var config = options.Config;
        // The factory's own handlers would log four lines at Information for every post: during a fan-out to
        // thousands of webhooks, writing them costs more than the posts. The dispatcher logs each failure itself.
        // A redirect is not followed: a 301 or 302 would turn the POST into a GET that some page answers with 200,
        // and the message would count as sent with its body lost.
        services.AddHttpClient(NotificationHttp.ClientName, NotificationClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
        services.AddHttpClient(NotificationHttp.PublicOnlyClientName, NotificationClient)
            .ConfigurePrimaryHttpMessageHandler(() =>
                new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = WebhookAddresses.ConnectAsync })
            .RemoveAllLoggers();
        services.AddSingleton<NotificationHttp>();
        services.AddSingleton(new MessageComposer(
            config, new Uri(config.Page.Url ?? options.Urls[0]), new MessageTemplates(config.Notifications.Templates)));
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSubscribeRateLimit(config.Notifications);

        services.AddProblemDetails();
        services.AddCandorApiAuth();
        services.AddCandorConsole();
        // A console session one replica issues must be good on every other: see StoredKeyRing.
        services.AddDataProtection().SetApplicationName(StoredKeyRing.ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure(keys => keys.XmlRepository = new StoredKeyRing(store));
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
    }

    public static void MapCandor(this WebApplication app)
    {
        var documents = new PublicDocuments();
        documents.Use(app);
        app.UseRouting();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseConsoleHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAuditLog();
        app.MapGet("/healthz", () => TypedResults.Text("ok\n"));
        app.MapStatusSite(documents);
        app.MapPingEndpoints();
        app.MapStatuspageApi(documents);
        app.MapOpenApi();
        app.MapMonitorApi().RequireAuthorization(ApiPolicies.Viewer);
        app.MapComponentApi().RequireAuthorization(ApiPolicies.Viewer);
        app.MapIncidentApi().RequireAuthorization(ApiPolicies.Viewer);
        app.MapMaintenanceApi().RequireAuthorization(ApiPolicies.Viewer);
        app.MapAuditApi().RequireAuthorization(ApiPolicies.Admin);
        app.MapSubscriberApi();
        app.MapSubscribeEndpoints();
        app.MapFeeds();
        app.MapCandorConsole();
    }

    private static void NotificationClient(HttpClient client)
    {
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Candor");
    }

    private static MonitorRegistration Registration(MonitorConfig monitor) =>
        monitor.Settings is HeartbeatSettings heartbeat
            ? new MonitorRegistration(monitor.Id, monitor.Type, heartbeat.Token, NewPingToken())
            : new MonitorRegistration(monitor.Id, monitor.Type, null, null);

    /// <summary>128 random bits, URL-safe: unguessable, since knowing a token is enough to ping.</summary>
    private static string NewPingToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
