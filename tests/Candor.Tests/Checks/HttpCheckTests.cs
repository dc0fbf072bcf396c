using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Checks;

public sealed class HttpCheckTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    private static readonly CheckContext Local = new(LocationConfig.Local, TimeProvider.System);

    [Fact]
    public async Task A_healthy_page_is_observed_with_its_status_body_headers_and_timings()
    {
        var observation = await RunAsync($"http://localhost:{server.HttpPort}/ok");

        Assert.Null(observation.Failure);
        Assert.Equal(200L, observation.Facts["status"]);
        Assert.Equal(TestHttpServer.WelcomeText, observation.Body);
        Assert.Equal("yes", observation.Headers["x-test"]);
        Assert.Equal("a, b", observation.Headers["X-Multi"]);
        Assert.StartsWith("text/plain", observation.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.NotNull(observation.Timings.Dns);
        Assert.NotNull(observation.Timings.Connect);
        Assert.NotNull(observation.Timings.FirstByte);
        Assert.Null(observation.Timings.Tls);
        Assert.False(observation.Facts.ContainsKey("cert_expires_in"));
        Assert.True(observation.ResponseTime > TimeSpan.Zero);
        Assert.Equal(observation.ResponseTime, observation.Facts["response_time"]);
    }

    [Fact]
    public async Task A_server_error_is_observed_as_its_status_not_as_a_failure()
    {
        var observation = await RunAsync($"http://127.0.0.1:{server.HttpPort}/status/500");

        Assert.Null(observation.Failure);
        Assert.Equal(500L, observation.Facts["status"]);
        Assert.Equal("status 500", observation.Body);
        Assert.Null(observation.Timings.Dns);
    }

    [Fact]
    public async Task A_response_slower_than_the_timeout_fails_naming_the_phase_it_reached()
    {
        var observation = await RunAsync(
            $"http://127.0.0.1:{server.HttpPort}/slow?delay=30000", timeout: TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal("timed out after 1s waiting for the first byte", observation.FailureMessage);
        Assert.NotNull(observation.Timings.Connect);
    }

    [Fact]
    public async Task A_body_that_stalls_times_out_while_reading_the_body()
    {
        var observation = await RunAsync(
            $"http://127.0.0.1:{server.HttpPort}/slow-body?delay=30000", timeout: TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal("timed out after 1s reading the body", observation.FailureMessage);
    }

    [Fact]
    public async Task A_refused_connection_is_a_connect_failure()
    {
        using var closed = new ClosedPort();

        var observation = await RunAsync($"http://127.0.0.1:{closed.Port}/");

        Assert.Equal(ErrorKind.Connect, observation.Failure);
        Assert.Equal($"TCP connect to 127.0.0.1:{closed.Port} refused", observation.FailureMessage);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_a_dns_failure()
    {
        var observation = await RunAsync("http://nosuch.invalid/");

        Assert.Equal(ErrorKind.Dns, observation.Failure);
        Assert.StartsWith("DNS: ", observation.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("nosuch.invalid", observation.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_is_followed_by_default()
    {
        var observation = await RunAsync($"http://127.0.0.1:{server.HttpPort}/redirect");

        Assert.Equal(200L, observation.Facts["status"]);
        Assert.Equal(TestHttpServer.WelcomeText, observation.Body);
    }

    [Fact]
    public async Task A_redirect_that_is_not_followed_is_observed_as_it_came()
    {
        var observation = await RunAsync(
            $"http://127.0.0.1:{server.HttpPort}/redirect", new HttpSettings { FollowRedirects = false });

        Assert.Null(observation.Failure);
        Assert.Equal(301L, observation.Facts["status"]);
        Assert.Equal("/ok", observation.Headers["location"]);
    }

    [Fact]
    public async Task Https_without_verification_reports_how_long_the_certificate_has_left()
    {
        var observation = await RunAsync(
            $"https://localhost:{server.HttpsPort}/ok", new HttpSettings { VerifyTls = false });

        Assert.Null(observation.Failure);
        Assert.Equal(200L, observation.Facts["status"]);
        Assert.NotNull(observation.Timings.Tls);
        var expected = new DateTimeOffset(server.Certificate.NotAfter.ToUniversalTime()) - DateTimeOffset.UtcNow;
        var reported = Assert.IsType<TimeSpan>(observation.Facts["cert_expires_in"]);
        Assert.InRange(reported, expected - TimeSpan.FromMinutes(1), expected + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Https_with_verification_rejects_a_self_signed_certificate()
    {
        var observation = await RunAsync($"https://localhost:{server.HttpsPort}/ok");

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.StartsWith(
            "TLS handshake with localhost failed: certificate is not trusted", observation.FailureMessage, StringComparison.Ordinal);
        Assert.NotNull(observation.Timings.Tls);
    }

    [Fact]
    public async Task The_body_is_kept_up_to_max_body()
    {
        var observation = await RunAsync($"http://127.0.0.1:{server.HttpPort}/ok", new HttpSettings { MaxBody = 7 });

        Assert.Equal("Welcome", observation.Body);
    }

    [Fact]
    public async Task The_body_is_decoded_in_the_charset_the_server_names()
    {
        var observation = await RunAsync($"http://127.0.0.1:{server.HttpPort}/latin1");

        Assert.Equal("café", observation.Body);
    }

    [Fact]
    public async Task A_json_response_keeps_its_body_and_content_type()
    {
        var observation = await RunAsync($"http://127.0.0.1:{server.HttpPort}/json");

        Assert.StartsWith("application/json", observation.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal("""{"status":"ok","items":[1,2]}""", observation.Body);
    }

    [Fact]
    public async Task The_method_headers_and_body_are_sent_as_configured()
    {
        var settings = new HttpSettings
        {
            Method = "post",
            Headers = new Dictionary<string, string> { ["X-Probe"] = "candor", ["Content-Type"] = "application/json" },
            Body = "{}",
        };

        var observation = await RunAsync($"http://127.0.0.1:{server.HttpPort}/echo", settings);

        Assert.Equal("POST candor application/json {}", observation.Body);
    }

    [Fact]
    public void Default_settings_with_an_https_target_are_valid()
    {
        Assert.Empty(new HttpSettings().Validate(Monitor("https://www.example.com/")));
    }

    [Fact]
    public void A_target_that_is_not_an_http_url_is_a_problem()
    {
        Assert.Equal(
            [new ConfigProblem("target", "'ftp://x' is not an http or https URL")],
            new HttpSettings().Validate(Monitor("ftp://x")));
        Assert.Equal("target", Assert.Single(new HttpSettings().Validate(Monitor(null))).Key);
    }

    [Fact]
    public void A_bad_method_header_or_max_body_is_a_problem_at_its_key()
    {
        var settings = new HttpSettings
        {
            Method = "GE T",
            Headers = new Dictionary<string, string> { ["Bad Header"] = "x", ["X-Split"] = "a\r\nb" },
            MaxBody = -1,
        };

        var keys = settings.Validate(Monitor("http://example.com/")).Select(p => p.Key);

        Assert.Equal(["method", "headers", "headers", "max_body"], keys);
    }

    [Fact]
    public async Task Each_run_closes_its_connection_as_it_ends_rather_than_leaving_it_to_the_garbage_collector()
    {
        for (var run = 0; run < 20; run++)
        {
            Assert.Null((await RunAsync($"http://127.0.0.1:{server.HttpPort}/ok")).Failure);
        }

        // The server closes its side once it has answered: a check that left its own open would leave it in CLOSE_WAIT.
        Assert.DoesNotContain(ClientConnections(server.HttpPort), state => state is Established or CloseWait);
    }

    [Fact]
    public async Task Each_request_tells_the_server_the_connection_closes_after_it()
    {
        var observation = await RunAsync($"http://127.0.0.1:{server.HttpPort}/connection");

        Assert.Equal("Connection: close", observation.Body);
    }

    [Fact]
    public async Task A_connection_header_in_the_settings_is_sent_as_configured()
    {
        var settings = new HttpSettings { Headers = new Dictionary<string, string> { ["Connection"] = "keep-alive" } };

        var observation = await RunAsync($"http://127.0.0.1:{server.HttpPort}/connection", settings);

        Assert.Equal("Connection: keep-alive", observation.Body);
    }

    private const string Established = "01";
    private const string CloseWait = "08";

    /// <summary>The kernel's state of every connection this machine has open to the port, as a client.</summary>
    private static IEnumerable<string> ClientConnections(int port)
    {
        var remote = $":{port:X4}";
        return File.ReadLines("/proc/net/tcp").Skip(1).Concat(File.ReadLines("/proc/net/tcp6").Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields[2].EndsWith(remote, StringComparison.Ordinal))
            .Select(fields => fields[3]);
    }

    private static MonitorConfig Monitor(string? target, HttpSettings? settings = null, TimeSpan? timeout = null) => new()
    {
        Id = "web",
        Type = "http",
        Target = target,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        Settings = settings ?? new HttpSettings(),
    };

    /// <summary>Runs the check as the scheduler does: the monitor's timeout cancels the token.</summary>
    private static async Task<Observation> RunAsync(string target, HttpSettings? settings = null, TimeSpan? timeout = null)
    {
        var monitor = Monitor(target, settings, timeout);
        using var timeoutSource = new CancellationTokenSource(monitor.Timeout);
        return await new HttpCheck().RunAsync(monitor, Local, timeoutSource.Token);
    }
}
