using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Candor.Notifications;
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
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At, int AnsweredWith, string Method)
{
    /// <summary>The <c>candor.event</c> of a Candor incident webhook: opened, update, monitoring, regressed, resolved.</summary>
    public string? Event
    {
        get
        {
            using var body = JsonDocument.Parse(Body);
            return body.RootElement.TryGetProperty("candor", out var candor) ? candor.GetProperty("event").GetString() : null;
        }
    }

    /// <summary>The signature this request should carry if it was signed with the key, worked out as a receiver would.</summary>
    public string SignatureWith(string secret)
    {
        var timestamp = Headers[WebhookSignature.TimestampHeader];
        var hmac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.ASCII.GetBytes(timestamp + "."), .. Body]);
        return "sha256=" + Convert.ToHexStringLower(hmac);
    }
}

/// <summary>
/// A real HTTP server on 127.0.0.1 that records every POST and answers as the test says: by default 200, or per
/// path whatever <see cref="Answer"/> returns for the request's number (1 for the first to that path). A redirect
/// points at the path with <c>/moved</c> after it; GETs are answered and recorded too, as a client that followed a
/// redirect would send them.
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
        app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Post], async (HttpContext http) =>
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
                status,
                http.Request.Method));
            if (status is >= 300 and < 400)
            {
                http.Response.Headers.Location = path + "/moved";
            }

            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return receiver;
    }

    public List<ReceivedRequest> To(string path) => [.. Requests.Where(r => r.Path == path)];

    /// <summary>Waits for the incident webhook of this event at the path, and returns it.</summary>
    public async Task<ReceivedRequest> WaitForAsync(string path, string incidentEvent, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (To(path).FirstOrDefault(r => r.Event == incidentEvent) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {incidentEvent} webhook at {path}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
