using System.Net.Http.Json;
using System.Text.Json;
using Candor.Configuration;
using Candor.Hosting;
using Candor.Security;
using Candor.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Candor.Tests.Fixtures;

/// <summary>
/// A whole Candor server in the test process, built the way `candor serve` builds it, on a free port on
/// 127.0.0.1, with a config written as YAML and its SQLite file in a directory of its own.
/// </summary>
public sealed class CandorApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _dir;

    private CandorApp(WebApplication app, TempDirectory dir, string storage)
    {
        _app = app;
        _dir = dir;
        Storage = storage;
        BaseAddress = new Uri(app.Urls.First());
        Anonymous = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress { get; }

    /// <summary>The config's <c>storage:</c>, for another app to share as a replica does.</summary>
    public string Storage { get; }

    /// <summary>A client with an admin token.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>A client with no token, as the public sees the server.</summary>
    public HttpClient Anonymous { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="yaml">The config without `storage:`, which the fixture supplies.</param>
    /// <param name="storage">Another app's <see cref="Storage"/>; by default a SQLite file of this app's own.</param>
    /// <param name="clock">By default the system's.</param>
    public static async Task<CandorApp> StartAsync(string yaml, string? storage = null, TimeProvider? clock = null)
    {
        var dir = new TempDirectory();
        storage ??= $"sqlite:{dir.Path}/candor.db";
        var loaded = ConfigLoader.LoadText($"storage: {storage}\n{yaml}", "test.yaml", _ => null);
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        var options = new CandorHostOptions(loaded.Config!, ["http://127.0.0.1:0"])
        {
            Pipeline = new() { ReevaluateEvery = TimeSpan.FromMilliseconds(200) },
            Clock = clock ?? TimeProvider.System,
        };
        var app = await CandorHost.BuildAsync(options, CancellationToken.None);
        await app.StartAsync();
        var candor = new CandorApp(app, dir, storage);
        candor.Http = await candor.ClientAsync(ApiRole.Admin, "test-admin");
        return candor;
    }

    /// <summary>A client holding a new token with the given role, made as `candor token create` makes one.</summary>
    public async Task<HttpClient> ClientAsync(ApiRole role, string name)
    {
        var (token, secret) = ApiTokens.Create(name, role, DateTimeOffset.UtcNow);
        await Services.GetRequiredService<ICandorStore>().SaveApiTokenAsync(token, CancellationToken.None);
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }

    public async Task<JsonElement> MonitorAsync(string id) =>
        await Http.GetFromJsonAsync<JsonElement>($"/api/v1/monitors/{id}");

    /// <summary>Polls the monitor's API record until the condition holds (real checks take real time).</summary>
    public Task<JsonElement> WaitForMonitorAsync(string id, Func<JsonElement, bool> condition, int seconds = 20) =>
        WaitForJsonAsync($"/api/v1/monitors/{id}", condition, seconds);

    /// <summary>Polls an API route until its answer satisfies the condition.</summary>
    public async Task<JsonElement> WaitForJsonAsync(string path, Func<JsonElement, bool> condition, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var answer = await Http.GetFromJsonAsync<JsonElement>(path);
            if (condition(answer))
            {
                return answer;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting on {path}; last answer: {answer}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Polls a public page until it contains the text: the pages are rebuilt from the store after each change, a
    /// moment after the API already shows it.
    /// </summary>
    public async Task<string> WaitForPageAsync(string path, string text, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var page = await Anonymous.GetStringAsync(path);
            if (page.Contains(text, StringComparison.Ordinal))
            {
                return page;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for '{text}' on {path}; the page began:\n{page[..Math.Min(page.Length, 3000)]}");
            await Task.Delay(100);
        }
    }

    public static bool HasStatus(JsonElement monitor, string status) =>
        monitor.GetProperty("status").GetString() == status;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
