using System.Net;
using Candor.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Candor.Bench.Peers;

/// <summary>
/// Kestrel with nothing in front of one handler that writes the bytes it was given: what .NET itself can serve on
/// this machine, against which Candor's own cost per request shows.
/// </summary>
internal sealed class BareKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;
    private byte[] _body = [];
    private string _contentType = "application/octet-stream";

    private BareKestrel(WebApplication app)
    {
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    public static async Task<BareKestrel> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new BareKestrel(app);
        app.Run(http =>
        {
            var body = Volatile.Read(ref server._body);
            http.Response.ContentType = server._contentType;
            http.Response.ContentLength = body.Length;
            // In the pieces Candor writes a long body in, the fastest way .NET serves it that was found here.
            return ResponseBody.WriteAsync(http.Response.BodyWriter, body, http.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        server.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return server;
    }

    /// <summary>What every request is answered with from now on.</summary>
    public void Serve(byte[] body, string contentType)
    {
        _contentType = contentType;
        Volatile.Write(ref _body, body);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
