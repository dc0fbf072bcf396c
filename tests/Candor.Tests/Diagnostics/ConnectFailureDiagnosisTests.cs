using Candor.Diagnostics;
using Candor.Monitoring;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Diagnostics;

public sealed class ConnectFailureDiagnosisTests
{
    [Fact]
    public async Task A_refused_connect_is_named_with_its_address_and_port()
    {
        using var closed = new ClosedPort();

        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: db, component: web, type: tcp, target: \"127.0.0.1:{closed.Port}\", timeout: 2s }}",
            $"TCP connect to 127.0.0.1:{closed.Port} refused",
            ErrorKind.Connect);

        Assert.Equal($"TCP connect to 127.0.0.1:{closed.Port} refused", bundle.Summary);
        var attempt = Assert.Single(bundle.Tcp);
        Assert.Equal(("127.0.0.1", closed.Port, ConnectOutcome.Refused), (attempt.Address, attempt.Port, attempt.Outcome));
        Assert.True(attempt.TimeMs >= 0);
        Assert.Null(bundle.Dns);
        Assert.Null(bundle.Tls);
        Assert.Null(bundle.Http);
    }

    [Fact]
    public async Task A_refused_connect_is_not_traced_because_the_host_itself_answered()
    {
        using var closed = new ClosedPort();

        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: db, component: web, type: tcp, target: \"127.0.0.1:{closed.Port}\" }}", "refused", ErrorKind.Connect);

        Assert.Equal(TracerouteDiagnosis.NotRunStatus, bundle.Traceroute.Status);
        Assert.Contains("refused", bundle.Traceroute.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bundle_is_stored_as_snake_case_json_with_the_traceroute_field_saying_why_it_did_not_run()
    {
        using var closed = new ClosedPort();

        var json = Diagnosis.Json(await Diagnosis.CollectAsync(
            $"{{ id: db, component: web, type: tcp, target: \"127.0.0.1:{closed.Port}\" }}", "refused", ErrorKind.Connect));

        Assert.Equal($"TCP connect to 127.0.0.1:{closed.Port} refused", json.GetProperty("summary").GetString());
        Assert.Equal("db", json.GetProperty("monitor_id").GetString());
        Assert.Equal("local", json.GetProperty("location").GetString());
        Assert.Equal("refused", json.GetProperty("tcp")[0].GetProperty("outcome").GetString());
        Assert.Equal("not run", json.GetProperty("traceroute").GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("traceroute").GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_port_that_accepts_shows_the_connection_and_the_checks_own_verdict()
    {
        await using var server = new TestTcpServer((stream, _) => Task.CompletedTask);

        var bundle = await Diagnosis.CollectAsync(
            $"{{ id: db, component: web, type: tcp, target: \"{server.Target}\", expect: \"+OK\" }}",
            $"expected '+OK' but {server.Target} closed the connection without sending anything",
            ErrorKind.Protocol);

        Assert.Equal(ConnectOutcome.Connected, Assert.Single(bundle.Tcp).Outcome);
        Assert.Equal(
            $"TCP connect to {server.Target} succeeded; the check failed on: expected '+OK' but {server.Target} closed the connection without sending anything",
            bundle.Summary);
        Assert.Contains("route is open", bundle.Traceroute.Reason, StringComparison.Ordinal);
    }
}
