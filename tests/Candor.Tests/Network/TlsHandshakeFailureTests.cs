using System.Text;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Network;

public sealed class TlsHandshakeFailureTests
{
    [Fact]
    public async Task A_refused_connection_is_a_connect_failure()
    {
        using var closed = new ClosedPort();

        var observation = await Probes.TlsAsync(closed.Port, new TlsSettings());

        Assert.Equal(ErrorKind.Connect, observation.Failure);
        Assert.Equal($"TCP connect to 127.0.0.1:{closed.Port} refused", observation.FailureMessage);
    }

    [Fact]
    public async Task A_server_that_does_not_speak_TLS_fails_the_handshake()
    {
        await using var server = new TestTcpServer(async (stream, cancellationToken) =>
            await stream.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2\r\n"), cancellationToken));

        var observation = await Probes.TlsAsync(server.Port, new TlsSettings());

        Assert.Equal(ErrorKind.Tls, observation.Failure);
        Assert.StartsWith($"TLS handshake with 127.0.0.1:{server.Port} failed: ", observation.FailureMessage, StringComparison.Ordinal);
        Assert.NotNull(observation.Timings.Tls);
    }

    [Fact]
    public async Task A_server_that_never_answers_the_handshake_times_out_in_it()
    {
        await using var server = new TestTcpServer((_, cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken));
        var monitor = Probes.Monitor("tls", $"127.0.0.1:{server.Port}", new TlsSettings()) with { Timeout = TimeSpan.FromSeconds(1) };

        var observation = await Probes.RunAsync(monitor);

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal($"timed out after 1s in the TLS handshake with 127.0.0.1:{server.Port}", observation.FailureMessage);
    }

    [Fact]
    public async Task An_unreadable_ca_file_is_an_internal_failure_naming_the_file()
    {
        var observation = await Probes.TlsAsync(443, new TlsSettings { CaFile = "/nonexistent/ca.pem" });

        Assert.Equal(ErrorKind.Internal, observation.Failure);
        Assert.StartsWith("cannot read ca_file /nonexistent/ca.pem: ", observation.FailureMessage, StringComparison.Ordinal);
    }
}
