using System.Text;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks.Smtp;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Smtp;

/// <summary>The smtp check's conversation against a real aiosmtpd, and against peers that misbehave on purpose.</summary>
public sealed class SmtpCheckTests : IAsyncLifetime
{
    private static readonly CheckContext Local = new(LocationConfig.Local, TimeProvider.System);

    /// <summary>
    /// Never opened: without send_to the check must not touch the store, and would fail on this one (it has no
    /// tables) if it did.
    /// </summary>
    private readonly ICandorStore _store =
        StoreFactory.Create($"sqlite:{Path.Combine(Path.GetTempPath(), $"candor-unused-{Guid.NewGuid():N}.db")}");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_server_is_observed_with_its_banner_and_extensions()
    {
        await using var smtp = await SmtpServer.StartAsync();

        var observation = await RunAsync(smtp.Target);

        Assert.Null(observation.Failure);
        Assert.StartsWith(SmtpServer.Hostname, (string)observation.Facts["banner"], StringComparison.Ordinal);
        var extensions = Assert.IsAssignableFrom<IReadOnlyList<string>>(observation.Facts["extensions"]);
        Assert.Contains("SIZE", extensions);
        Assert.Contains("8BITMIME", extensions);
        Assert.DoesNotContain("STARTTLS", extensions);
        Assert.Equal(false, observation.Facts["starttls"]);
        Assert.False(observation.Facts.ContainsKey("cert_expires_in"));
        Assert.NotNull(observation.Timings.Connect);
        Assert.NotNull(observation.Timings.FirstByte);
        Assert.Null(observation.Timings.Tls);
        Assert.Equal(observation.ResponseTime, observation.Facts["response_time"]);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task Starttls_is_negotiated_when_offered_and_the_server_is_asked_again_over_tls()
    {
        await using var smtp = await SmtpServer.StartAsync(new() { StartTls = true });

        var observation = await RunAsync(smtp.Target, new SmtpSettings { VerifyTls = false });

        Assert.Null(observation.Failure);
        Assert.Equal(true, observation.Facts["starttls"]);
        Assert.NotNull(observation.Timings.Tls);
        // aiosmtpd stops offering STARTTLS once it is in use: these are the extensions of the second EHLO.
        Assert.DoesNotContain("STARTTLS", Assert.IsAssignableFrom<IReadOnlyList<string>>(observation.Facts["extensions"]));
        var expiresIn = Assert.IsType<TimeSpan>(observation.Facts["cert_expires_in"]);
        Assert.InRange(expiresIn, TimeSpan.FromDays(29), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task A_self_signed_certificate_is_a_tls_failure_when_it_is_verified()
    {
        await using var smtp = await SmtpServer.StartAsync(new() { StartTls = true });

        var observation = await RunAsync(smtp.Target);

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.StartsWith(
            "TLS handshake with 127.0.0.1 failed: certificate is not trusted", observation.FailureMessage, StringComparison.Ordinal);
        Assert.NotNull(observation.Timings.Tls);
    }

    [Fact]
    public async Task Required_starttls_fails_against_a_server_without_it()
    {
        await using var smtp = await SmtpServer.StartAsync();

        var observation = await RunAsync(smtp.Target, new SmtpSettings { Starttls = StartTlsMode.Required });

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.Equal($"{smtp.Target} does not offer STARTTLS, and starttls is required", observation.FailureMessage);
    }

    [Fact]
    public async Task Starttls_off_stays_in_the_clear_even_when_it_is_offered()
    {
        await using var smtp = await SmtpServer.StartAsync(new() { StartTls = true });

        var observation = await RunAsync(smtp.Target, new SmtpSettings { Starttls = StartTlsMode.Off });

        Assert.Null(observation.Failure);
        Assert.Equal(false, observation.Facts["starttls"]);
        Assert.Contains("STARTTLS", Assert.IsAssignableFrom<IReadOnlyList<string>>(observation.Facts["extensions"]));
    }

    [Fact]
    public async Task Credentials_the_server_accepts_pass_with_auth_plain()
    {
        await using var smtp = await SmtpServer.StartAsync(new() { StartTls = true, Username = "alice", Password = "s3cret" });

        var observation = await RunAsync(smtp.Target, new SmtpSettings { VerifyTls = false, Username = "alice", Password = "s3cret" });

        Assert.Null(observation.Failure);
        Assert.Contains("AUTH", Assert.IsAssignableFrom<IReadOnlyList<string>>(observation.Facts["extensions"]));
    }

    [Fact]
    public async Task Credentials_the_server_accepts_pass_with_auth_login_when_plain_is_not_offered()
    {
        await using var smtp = await SmtpServer.StartAsync(
            new() { StartTls = true, Username = "alice", Password = "s3cret", ExcludedAuthMechanisms = ["PLAIN"] });

        var observation = await RunAsync(smtp.Target, new SmtpSettings { VerifyTls = false, Username = "alice", Password = "s3cret" });

        Assert.Null(observation.Failure);
    }

    [Fact]
    public async Task Rejected_credentials_are_an_assertion_failure_that_does_not_show_the_password()
    {
        await using var smtp = await SmtpServer.StartAsync(new() { StartTls = true, Username = "alice", Password = "s3cret" });

        var observation = await RunAsync(smtp.Target, new SmtpSettings { VerifyTls = false, Username = "alice", Password = "wrong" });

        Assert.Equal(ErrorKind.Assertion, observation.Failure);
        Assert.StartsWith($"{smtp.Target} refused the credentials of 'alice': 535", observation.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", observation.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_is_not_sent_when_the_server_offers_no_starttls()
    {
        await using var smtp = await SmtpServer.StartAsync();

        var observation = await RunAsync(smtp.Target, new SmtpSettings { Username = "alice", Password = "s3cret" });

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.Equal($"{smtp.Target} does not offer STARTTLS, and the password is never sent in the clear", observation.FailureMessage);
    }

    [Fact]
    public async Task A_refused_connection_is_a_connect_failure()
    {
        using var closed = new ClosedPort();

        var observation = await RunAsync($"127.0.0.1:{closed.Port}");

        Assert.Equal(ErrorKind.Connect, observation.Failure);
        Assert.Equal($"TCP connect to 127.0.0.1:{closed.Port} refused", observation.FailureMessage);
    }

    [Fact]
    public async Task A_server_that_never_sends_its_banner_times_out_waiting_for_it()
    {
        await using var silent = new TestTcpServer(async (_, stopping) => await Task.Delay(Timeout.Infinite, stopping));

        var observation = await RunAsync(silent.Target, timeout: TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal("timed out after 1s waiting for the banner", observation.FailureMessage);
        Assert.NotNull(observation.Timings.Connect);
    }

    [Fact]
    public async Task A_banner_other_than_220_is_a_protocol_failure_that_quotes_it()
    {
        await using var refusing = Scripted("554-5.3.2 no mail here\r\n554 5.3.2 go away\r\n");

        var observation = await RunAsync(refusing.Target);

        Assert.Equal(ErrorKind.Protocol, observation.Failure);
        Assert.Equal("expected 220 but got 554 5.3.2 no mail here 5.3.2 go away", observation.FailureMessage);
    }

    [Fact]
    public async Task Replies_of_several_lines_are_read_whole()
    {
        await using var server = Scripted(
            "220-mail.acme.example ESMTP\r\n220-No unsolicited mail.\r\n220 Ready\r\n",
            "250-mail.acme.example\r\n250-PIPELINING\r\n250-size 1000\r\n250 ENHANCEDSTATUSCODES\r\n",
            "221 Bye\r\n");

        var observation = await RunAsync(server.Target);

        Assert.Null(observation.Failure);
        Assert.Equal("mail.acme.example ESMTP\nNo unsolicited mail.\nReady", observation.Facts["banner"]);
        Assert.Equal<IEnumerable<string>>(
            ["PIPELINING", "SIZE", "ENHANCEDSTATUSCODES"], Assert.IsAssignableFrom<IReadOnlyList<string>>(observation.Facts["extensions"]));
    }

    [Fact]
    public async Task A_peer_that_does_not_speak_smtp_is_a_protocol_failure()
    {
        await using var http = Scripted("HTTP/1.1 400 Bad Request\r\n\r\n");

        var observation = await RunAsync(http.Target);

        Assert.Equal(ErrorKind.Protocol, observation.Failure);
        Assert.Equal($"{http.Target} does not speak SMTP: it sent 'HTTP/1.1 400 Bad Request'", observation.FailureMessage);
    }

    [Fact]
    public async Task A_server_that_hangs_up_after_its_banner_is_a_connect_failure_naming_the_phase()
    {
        await using var server = Scripted("220 ready\r\n");

        var observation = await RunAsync(server.Target);

        Assert.Equal(ErrorKind.Connect, observation.Failure);
        Assert.Equal($"{server.Target} closed the connection while waiting for the reply to EHLO", observation.FailureMessage);
    }

    /// <summary>A peer that sends its banner, then one reply per line it reads, then hangs up.</summary>
    private static TestTcpServer Scripted(string banner, params string[] replies) => new(async (stream, stopping) =>
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(banner), stopping);
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        foreach (var reply in replies)
        {
            if (await reader.ReadLineAsync(stopping) is null)
            {
                return;
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), stopping);
        }
    });

    private static MonitorConfig Monitor(string target, SmtpSettings settings, TimeSpan timeout) => new()
    {
        Id = "mail",
        Type = "smtp",
        Target = target,
        Timeout = timeout,
        Settings = settings,
    };

    /// <summary>Runs the check as the scheduler does: the monitor's timeout cancels the token.</summary>
    private async Task<Observation> RunAsync(string target, SmtpSettings? settings = null, TimeSpan? timeout = null)
    {
        var monitor = Monitor(target, settings ?? new SmtpSettings(), timeout ?? TimeSpan.FromSeconds(10));
        using var timeoutSource = new CancellationTokenSource(monitor.Timeout);
        return await new SmtpCheck(_store).RunAsync(monitor, Local, timeoutSource.Token);
    }
}
