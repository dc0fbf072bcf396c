using System.Net.Sockets;
using System.Text;
using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Checks;

public sealed class TcpCheckTests
{
    private static readonly CheckContext Local = new(LocationConfig.Local, TimeProvider.System);

    [Fact]
    public async Task An_open_port_is_up_and_its_connect_time_measured()
    {
        await using var peer = new TestTcpServer((_, _) => Task.CompletedTask);

        var observation = await RunAsync(peer.Target);

        Assert.Null(observation.Failure);
        Assert.NotNull(observation.Timings.Connect);
        Assert.Null(observation.Timings.Dns);
        Assert.Equal(observation.ResponseTime, observation.Facts["response_time"]);
        Assert.False(observation.Facts.ContainsKey("response"));
    }

    [Fact]
    public async Task A_host_name_target_measures_the_dns_lookup_as_well()
    {
        await using var peer = new TestTcpServer((_, _) => Task.CompletedTask);

        var observation = await RunAsync($"localhost:{peer.Port}");

        Assert.Null(observation.Failure);
        Assert.NotNull(observation.Timings.Dns);
    }

    [Fact]
    public async Task A_closed_port_is_a_connect_failure()
    {
        using var closed = new ClosedPort();

        var observation = await RunAsync($"127.0.0.1:{closed.Port}");

        Assert.Equal(ErrorKind.Connect, observation.Failure);
        Assert.Equal($"TCP connect to 127.0.0.1:{closed.Port} refused", observation.FailureMessage);
    }

    [Fact]
    public async Task A_reply_that_contains_the_expected_text_is_up()
    {
        await using var peer = new TestTcpServer(ReplyToOneLineAsync("+PONG\r\n"));

        var observation = await RunAsync(peer.Target, new TcpSettings { Send = @"PING\r\n", Expect = "PONG" });

        Assert.Null(observation.Failure);
        Assert.Equal("+PONG\r\n", observation.Facts["response"]);
        Assert.NotNull(observation.Timings.FirstByte);
    }

    [Fact]
    public async Task A_banner_is_expected_without_sending_anything()
    {
        await using var peer = new TestTcpServer(SayAsync("220 mail.test ready\r\n"));

        var observation = await RunAsync(peer.Target, new TcpSettings { Expect = "220 " });

        Assert.Null(observation.Failure);
        Assert.Equal("220 mail.test ready\r\n", observation.Facts["response"]);
    }

    [Fact]
    public async Task Without_expect_the_first_reply_is_kept_for_conditions()
    {
        await using var peer = new TestTcpServer(ReplyToOneLineAsync("OK\n"));

        var observation = await RunAsync(peer.Target, new TcpSettings { Send = @"STATUS\n" });

        Assert.Null(observation.Failure);
        Assert.Equal("OK\n", observation.Facts["response"]);
    }

    [Fact]
    public async Task A_peer_that_closes_without_the_expected_text_is_a_protocol_failure()
    {
        await using var peer = new TestTcpServer(ReplyToOneLineAsync("-ERR unknown command\r\n"));

        var observation = await RunAsync(peer.Target, new TcpSettings { Send = @"PING\r\n", Expect = "PONG" });

        Assert.Equal(ErrorKind.Protocol, observation.Failure);
        Assert.Equal(@"expected 'PONG' but got '-ERR unknown command\r\n'", observation.FailureMessage);
    }

    [Fact]
    public async Task A_peer_that_closes_in_silence_is_a_protocol_failure()
    {
        await using var peer = new TestTcpServer((_, _) => Task.CompletedTask);

        var observation = await RunAsync(peer.Target, new TcpSettings { Expect = "220" });

        Assert.Equal(ErrorKind.Protocol, observation.Failure);
        Assert.Equal(
            $"expected '220' but {peer.Target} closed the connection without sending anything", observation.FailureMessage);
    }

    [Fact]
    public async Task A_silent_peer_times_out_waiting_for_the_expected_text()
    {
        await using var peer = new TestTcpServer((_, stopping) => Task.Delay(Timeout.Infinite, stopping));

        var observation = await RunAsync(peer.Target, new TcpSettings { Expect = "hello" }, TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal("timed out after 1s waiting for 'hello'", observation.FailureMessage);
    }

    [Fact]
    public async Task A_timeout_after_a_partial_reply_quotes_what_came()
    {
        await using var peer = new TestTcpServer(async (stream, stopping) =>
        {
            await SayAsync("hel")(stream, stopping);
            await Task.Delay(Timeout.Infinite, stopping);
        });

        var observation = await RunAsync(peer.Target, new TcpSettings { Expect = "hello" }, TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal("timed out after 1s waiting for 'hello' (got 'hel' so far)", observation.FailureMessage);
    }

    [Theory]
    [InlineData("db.internal:5432")]
    [InlineData("10.0.0.5:22")]
    [InlineData("[2001:db8::1]:443")]
    public void A_host_and_port_is_a_valid_target(string target)
    {
        Assert.Empty(new TcpSettings { Send = @"PING\r\n", Expect = "PONG" }.Validate(Monitor(target)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("db.internal")]
    [InlineData("db.internal:0")]
    [InlineData("db.internal:70000")]
    [InlineData("2001:db8::1:443")]
    [InlineData("[db.internal]:443")]
    public void A_target_without_a_usable_host_and_port_is_a_problem(string? target)
    {
        Assert.Equal("target", Assert.Single(new TcpSettings().Validate(Monitor(target))).Key);
    }

    [Fact]
    public void An_unknown_escape_or_an_empty_expect_is_a_problem_at_its_key()
    {
        var problems = new TcpSettings { Send = @"PING\q", Expect = "" }.Validate(Monitor("db.internal:6379")).ToList();

        Assert.Equal(
            [
                new ConfigProblem("send", @"unknown escape '\q' (use \r, \n, \t, \0 or \\)"),
                new ConfigProblem("expect", "expect must not be empty: it would match anything"),
            ],
            problems);
    }

    private static Func<NetworkStream, CancellationToken, Task> SayAsync(string text) =>
        (stream, stopping) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), stopping).AsTask();

    /// <summary>Reads one line, answers it, and hangs up.</summary>
    private static Func<NetworkStream, CancellationToken, Task> ReplyToOneLineAsync(string reply) => async (stream, stopping) =>
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        await reader.ReadLineAsync(stopping);
        await SayAsync(reply)(stream, stopping);
    };

    private static MonitorConfig Monitor(string? target, TcpSettings? settings = null, TimeSpan? timeout = null) => new()
    {
        Id = "db",
        Type = "tcp",
        Target = target,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        Settings = settings ?? new TcpSettings(),
    };

    private static async Task<Observation> RunAsync(string target, TcpSettings? settings = null, TimeSpan? timeout = null)
    {
        var monitor = Monitor(target, settings, timeout);
        using var timeoutSource = new CancellationTokenSource(monitor.Timeout);
        return await new TcpCheck().RunAsync(monitor, Local, timeoutSource.Token);
    }
}
