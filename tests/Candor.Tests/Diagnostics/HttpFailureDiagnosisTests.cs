using Candor.Diagnostics;
using Candor.Monitoring;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Diagnostics;

public sealed class HttpFailureDiagnosisTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    [Fact]
    public async Task A_server_error_shows_the_status_line_and_the_headers()
    {
        var url = $"http://127.0.0.1:{server.HttpPort}/status/500";

        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: home, component: web, type: http, target: \"{url}\", conditions: [ \"status == 200\" ] }}",
            "status (500) == 200",
            ErrorKind.Status);

        Assert.Equal($"{url} answered HTTP/1.1 500 Internal Server Error; the check failed on: status (500) == 200", bundle.Summary);
        var http = bundle.Http!;
        Assert.Equal("HTTP/1.1 500 Internal Server Error", http.StatusLine);
        Assert.Equal(500, http.Status);
        Assert.StartsWith("text/plain", http.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("Kestrel", http.Headers["Server"]);
        Assert.True(http.Headers.ContainsKey("Date"));
        Assert.Equal("status 500", http.BodyStart);
        Assert.Equal(ConnectOutcome.Connected, Assert.Single(bundle.Tcp).Outcome);
        Assert.Null(bundle.Tls);
    }

    [Fact]
    public async Task Repeated_headers_are_joined_as_one_line()
    {
        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: home, component: web, type: http, target: \"http://127.0.0.1:{server.HttpPort}/ok\", conditions: [ \"body contains Goodbye\" ] }}",
            "body contains Goodbye",
            ErrorKind.Assertion);

        Assert.Equal("a, b", bundle.Http!.Headers["X-Multi"]);
        Assert.Equal("yes", bundle.Http.Headers["x-test"]);
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_the_handshake_and_is_described()
    {
        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: home, component: web, type: http, target: \"https://127.0.0.1:{server.HttpsPort}/ok\" }}",
            "TLS handshake with 127.0.0.1 failed: certificate is not trusted",
            ErrorKind.Tls);

        var tls = bundle.Tls!;
        Assert.False(tls.Succeeded);
        Assert.StartsWith("TLS handshake with 127.0.0.1 failed: the certificate is not accepted: ", bundle.Summary, StringComparison.Ordinal);
        Assert.Contains(tls.Problems, p => p.StartsWith("UntrustedRoot", StringComparison.Ordinal));
        Assert.Equal("CN=localhost", tls.Certificate!.Subject);
        Assert.Equal("CN=localhost", tls.Certificate.Issuer);
        Assert.Equal(server.Certificate.NotAfter.ToUniversalTime(), tls.Certificate.NotAfter.UtcDateTime);
        Assert.Contains("localhost", tls.Certificate.DnsNames);
        Assert.Null(bundle.Http);
    }

    [Fact]
    public async Task With_verification_off_the_handshake_succeeds_and_the_request_is_made()
    {
        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: home, component: web, type: http, target: \"https://127.0.0.1:{server.HttpsPort}/status/503\", verify_tls: false }}",
            "status (503) < 400",
            ErrorKind.Status);

        var tls = bundle.Tls!;
        Assert.True(tls.Succeeded);
        Assert.StartsWith("Tls1", tls.Protocol, StringComparison.Ordinal);
        Assert.Contains(tls.Problems, p => p.StartsWith("UntrustedRoot", StringComparison.Ordinal));
        Assert.Matches("^(29|30)d", tls.Certificate!.ExpiresIn);
        Assert.Equal("HTTP/1.1 503 Service Unavailable", bundle.Http!.StatusLine);
    }
}
