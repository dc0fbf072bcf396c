using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Candor.Tests.Fixtures;

/// <summary>
/// A real Kestrel server on 127.0.0.1, on ports the system picks, for probes to hit: plain HTTP, and HTTPS with a
/// self-signed certificate made for the run (valid from a day ago for 30 days).
/// </summary>
public sealed class TestHttpServer : IAsyncLifetime
{
    public const string WelcomeText = "Welcome to the test server";

    /// <summary>The password `POST /login` accepts, in a JSON body.</summary>
    public const string Password = "s3cret";

    /// <summary>What `POST /login` answers with, and `GET /me` wants as a bearer token.</summary>
    public const string SessionToken = "token-42";

    private WebApplication? _app;

    public X509Certificate2 Certificate { get; } = CreateCertificate();

    public int HttpPort { get; private set; }

    public int HttpsPort { get; private set; }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate));
        });
        _app = builder.Build();
        MapRoutes(_app);
        await _app.StartAsync();

        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        HttpPort = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal))).Port;
        HttpsPort = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal))).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Certificate.Dispose();
    }

    private static void MapRoutes(WebApplication app)
    {
        app.MapGet("/ok", (HttpContext http) =>
        {
            http.Response.Headers["X-Test"] = "yes";
            http.Response.Headers.Append("X-Multi", "a");
            http.Response.Headers.Append("X-Multi", "b");
            return Results.Text(WelcomeText, "text/plain");
        });
        app.MapGet("/status/{code:int}", (int code) => Results.Text($"status {code}", statusCode: code));
        app.MapGet("/slow", async (int delay, CancellationToken aborted) =>
        {
            await Task.Delay(delay, aborted);
            return Results.Text("finally");
        });
        app.MapGet("/slow-body", async (int delay, HttpResponse response, CancellationToken aborted) =>
        {
            await response.WriteAsync("the beginning ", aborted);
            await response.Body.FlushAsync(aborted);
            await Task.Delay(delay, aborted);
            await response.WriteAsync("and the end", aborted);
        });
        app.MapGet("/redirect", () => Results.Redirect("/ok", permanent: true));
        app.MapGet("/json", () => Results.Text("""{"status":"ok","items":[1,2]}""", "application/json"));
        app.MapGet("/latin1", () => Results.Bytes(Encoding.Latin1.GetBytes("café"), "text/plain; charset=iso-8859-1"));
        app.MapPost("/login", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            if (!body.Contains($"\"password\":\"{Password}\"", StringComparison.Ordinal))
            {
                return Results.Text("""{"error":"bad credentials"}""", "application/json", statusCode: 401);
            }

            request.HttpContext.Response.Headers["X-Session"] = "session-7";
            return Results.Text($$"""{"token":"{{SessionToken}}","expires_in":3600}""", "application/json");
        });
        app.MapGet("/me", (HttpRequest request) =>
            request.Headers.Authorization == $"Bearer {SessionToken}"
                ? Results.Text("""{"name":"alice"}""", "application/json")
                : Results.Text("""{"error":"sign in first"}""", "application/json", statusCode: 401));
        app.MapGet("/connection", (HttpRequest request) => Results.Text($"Connection: {request.Headers.Connection}"));
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            return Results.Text($"{request.Method} {request.Headers["X-Probe"]} {request.ContentType} {body}");
        });
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));

        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        // Reloaded from PKCS#12 so that the key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
