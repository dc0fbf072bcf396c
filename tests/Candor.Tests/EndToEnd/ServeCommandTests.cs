using System.Net;
using System.Net.Sockets;
using Candor.Tests.Fixtures;

namespace Candor.Tests.EndToEnd;

public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_port_already_taken_is_named_once_and_exits_1_rather_than_crashing()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        _dir.Write("candor.yaml", """
            components:
              - { id: web, name: Website }

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(
            _dir.Path, "serve", "--config", "candor.yaml", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, exitCode);
        Assert.Contains($"candor: Failed to bind to address http://127.0.0.1:{port}: address already in use.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);

        // Said once, without the host's own report of it and the stack of Kestrel's binding.
        Assert.Single(output.Split('\n'), line => line.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
        Assert.DoesNotContain(" at Microsoft.AspNetCore", output, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
