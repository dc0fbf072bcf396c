using Candor.Bench.Peers;
using Candor.Tests.Fixtures;

namespace Candor.Tests.EndToEnd;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private const string BrokenConfig = """
        components:
          - { id: web, name: Website }
        monitors:
          - id: web-home
            component: wbe
            type: http
            target: http://127.0.0.1:1/
            intervall: 30s
            timeout: 30x

        """;

    [Fact]
    public async Task It_prints_every_error_with_file_line_and_column_and_exits_1()
    {
        _dir.Write("candor.yaml", BrokenConfig);

        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "validate", "--config", "candor.yaml");

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("candor.yaml:5:16: ", StringComparison.Ordinal)
            && l.Contains("monitor 'web-home' names component 'wbe', which is not defined", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("candor.yaml:8:5: ", StringComparison.Ordinal)
            && l.Contains("unknown key 'intervall' — did you mean 'interval'?", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("candor.yaml:9:14: ", StringComparison.Ordinal)
            && l.Contains("'30x' is not a duration: use 30s, 5m, 2h, 14d", StringComparison.Ordinal));
        Assert.Contains("3 errors in the config.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_accepts_a_valid_config_and_exits_0()
    {
        _dir.Write("candor.yaml", """
            locations: [ { id: eu-west } ]
            components:
              - { id: web, name: Website }
            monitors:
              - { id: web-home, component: web, type: http, target: "http://127.0.0.1:1/", locations: [local, eu-west] }
              - { id: mail-pipeline, component: web, type: heartbeat, every: 5m, grace: 2m }

            """);

        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "validate", "--config", "candor.yaml");

        Assert.True(exitCode == 0, output);
        Assert.Contains("candor.yaml is valid: 1 components, 2 monitors, 2 locations.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_in_demo_config_is_valid()
    {
        var (exitCode, output) = await CandorProcess.RunAsync(_dir.Path, "validate");

        Assert.True(exitCode == 0, output);
        Assert.Contains("(built-in demo config) is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_refuses_to_start_on_an_invalid_config_with_the_same_messages()
    {
        _dir.Write("candor.yaml", BrokenConfig);

        var (exitCode, output) = await CandorProcess.RunAsync(
            _dir.Path, "serve", "--config", "candor.yaml", "--urls", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.Equal(1, exitCode);
        Assert.Contains("candor.yaml:9:14: '30x' is not a duration: use 30s, 5m, 2h, 14d", output, StringComparison.Ordinal);
        Assert.Contains("not starting with an invalid config", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "data")));
    }

    public void Dispose() => _dir.Dispose();
}
