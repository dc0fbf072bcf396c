using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Candor.Bench.Peers;

/// <param name="Delivery">The X-Candor-Delivery header, which names one message to one recipient.</param>
/// <param name="Body">The body as text, kept only while <see cref="WebhookSink.KeepBodies"/> is set.</param>
internal sealed record ReceivedHook(DateTimeOffset At, string Path, string? Delivery, int Size, string? Body);

/// <summary>
/// A real HTTP server on 127.0.0.1 that answers every POST with 200 and notes when it came, and every GET with 200
/// and nothing noted, for monitors to check.
/// </summary>
internal sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedHook> _received = new();
    private int _count;

    private WebhookSink(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether bodies are kept; ten thousand of them would only weigh on a fan-out run.</summary>
    public bool KeepBodies { get; set; }

    public static async Task<WebhookSink> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            var at = DateTimeOffset.UtcNow;
            sink._received.Enqueue(new ReceivedHook(
                at,
                http.Request.Path.Value ?? "/",
                http.Request.Headers["X-Candor-Delivery"].FirstOrDefault(),
                (int)body.Length,
                sink.KeepBodies ? Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length) : null));
            Interlocked.Increment(ref sink._count);
            return Results.Ok();
        });
        app.MapGet("/{**path}", () => Results.Ok());
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        sink.BaseAddress = new Uri(address);
        return sink;
    }

    /// <summary>Everything received so far, in the order it was noted.</summary>
    public List<ReceivedHook> Received() => [.. _received];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
