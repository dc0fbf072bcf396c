using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Candor.Tests.Fixtures;

/// <summary>One POST as the receiver got it.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At, int AnsweredWith);

/// <summary>
/// A real HTTP server on 127.0.0.1 that records every POST and answers as the test says: by default 200, or per
/// path whatever <see cref="Answer"/> returns for the request's number (1 for the first to that path).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _counts = new();

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>(path, number of the request to that path) → status code.</summary>
    public Func<string, int, int> Answer { get; set; } = (_, _) => 200;

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var path = http.Request.Path.Value!;
            var status = receiver.Answer(path, receiver._counts.AddOrUpdate(path, 1, (_, n) => n + 1));
            receiver.Requests.Enqueue(new ReceivedRequest(
                path,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray(),
                DateTimeOffset.UtcNow,
                status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return receiver;
    }

    public List<ReceivedRequest> To(string path) => [.. Requests.Where(r => r.Path == path)];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
