using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Checks;

/// <summary>http monitors with `steps:`, written as YAML and run against the test server's login and profile routes.</summary>
public sealed class HttpTransactionTests(TestHttpServer server) : IClassFixture<TestHttpServer>
{
    private static readonly CheckContext Local = new(LocationConfig.Local, TimeProvider.System);

    [Fact]
    public async Task A_token_captured_from_one_step_is_sent_by_the_next()
    {
        var monitor = Load($$$"""
                steps:
                  - method: POST
                    path: /login
                    headers: { Content-Type: application/json }
                    body: '{"user":"alice","password":"{{{TestHttpServer.Password}}}"}'
                    capture: { token: json $.token }
                    conditions: [ "status == 200" ]
                  - path: /me
                    headers: { Authorization: "Bearer {{token}}" }
                    conditions: [ 'json $.name == "alice"' ]
            """);

        var observation = await RunAsync(monitor);

        Assert.Null(observation.FailureMessage);
        Assert.Equal(200L, observation.Facts["status"]);
        Assert.Equal("""{"name":"alice"}""", observation.Body);
    }

    [Fact]
    public async Task The_first_failing_step_fails_the_check_with_its_number_request_and_condition()
    {
        var monitor = Load("""
                steps:
                  - path: /ok
                  - method: POST
                    path: /login
                    body: '{"password":"wrong"}'
                    conditions: [ "status == 200" ]
                  - path: /me
            """);

        var observation = await RunAsync(monitor);

        Assert.Equal(ErrorKind.Status, observation.Failure);
        Assert.Equal("step 2 (POST /login): status (401) == 200", observation.FailureMessage);
    }

    [Fact]
    public async Task A_step_without_conditions_must_not_answer_with_an_error_status()
    {
        var monitor = Load("""
                steps:
                  - path: /status/503
                  - path: /ok
            """);

        var observation = await RunAsync(monitor);

        Assert.Equal(ErrorKind.Status, observation.Failure);
        Assert.Equal("step 1 (GET /status/503): status (503) < 400", observation.FailureMessage);
    }

    [Fact]
    public async Task A_capture_that_finds_nothing_fails_its_step()
    {
        var monitor = Load("""
                steps:
                  - path: /json
                    capture: { token: json $.token }
                  - path: /me
                    headers: { Authorization: "Bearer {{token}}" }
            """);

        var observation = await RunAsync(monitor);

        Assert.Equal(ErrorKind.Assertion, observation.Failure);
        Assert.Equal("step 1 (GET /json): nothing to capture as token: json $.token (missing)", observation.FailureMessage);
    }

    [Fact]
    public async Task A_header_can_be_captured_and_put_into_a_body_and_a_url()
    {
        var monitor = Load($$$"""
                steps:
                  - method: POST
                    path: /login
                    body: '{"password":"{{{TestHttpServer.Password}}}"}'
                    capture: { session: "header[x-session]", lifetime: json $.expires_in }
                  - method: POST
                    url: "http://127.0.0.1:{{{server.HttpPort}}}/echo?for={{session}}"
                    headers: { X-Probe: "{{session}}" }
                    body: "lifetime={{lifetime}}"
            """);

        var observation = await RunAsync(monitor);

        Assert.Null(observation.FailureMessage);
        Assert.Equal("POST session-7 text/plain; charset=utf-8 lifetime=3600", observation.Body);
    }

    [Fact]
    public async Task The_response_time_and_the_phases_are_those_of_the_whole_transaction()
    {
        var monitor = Load("""
                steps:
                  - path: /slow?delay=200
                  - path: /slow?delay=200
            """);

        var observation = await RunAsync(monitor);

        // The response time and the wait are both steps' together (one alone would be 200 ms). The server's delays
        // run on its millisecond timer and may each end a fraction of a millisecond before 200 by the check's clock,
        // so the sums are allowed 5 ms: a run in CI measured the whole transaction at 399.94 ms.
        Assert.Null(observation.Failure);
        Assert.True(observation.ResponseTime >= TimeSpan.FromMilliseconds(395), $"{observation.ResponseTime}");
        Assert.Equal(observation.ResponseTime, observation.Facts["response_time"]);
        Assert.True(observation.Timings.FirstByte >= TimeSpan.FromMilliseconds(395), $"{observation.Timings.FirstByte}");
    }

    [Fact]
    public async Task A_step_that_times_out_is_named_with_the_phase_it_reached()
    {
        var monitor = Load("""
                timeout: 1s
                steps:
                  - path: /ok
                  - path: /slow?delay=30000
            """);

        var observation = await RunAsync(monitor);

        Assert.Equal(ErrorKind.Timeout, observation.Failure);
        Assert.Equal("step 2 (GET /slow?delay=30000): timed out after 1s waiting for the first byte", observation.FailureMessage);
    }

    [Fact]
    public async Task The_monitor_conditions_judge_the_last_response()
    {
        var monitor = Load("""
                conditions: [ "body contains Welcome", "status == 201" ]
                steps:
                  - path: /json
                  - path: /ok
            """);
        var observation = await RunAsync(monitor);

        var result = CheckRunner.Judge(monitor, monitor.Conditions, "local", DateTimeOffset.UtcNow, TimeSpan.Zero, observation);

        Assert.Equal(Outcome.Down, result.Outcome);
        Assert.Equal("status (200) == 201", result.Message);
    }

    private MonitorConfig Load(string keys)
    {
        var yaml = $$"""
            components: [ { id: web, name: Website } ]
            monitors:
              - id: login-flow
                component: web
                type: http
                target: http://127.0.0.1:{{server.HttpPort}}/
            {{keys}}

            """;
        var loaded = ConfigLoader.LoadText(yaml, "test.yaml", _ => null);
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        return loaded.Config!.Monitors[0];
    }

    private static async Task<Observation> RunAsync(MonitorConfig monitor)
    {
        using var timeout = new CancellationTokenSource(monitor.Timeout);
        return await new HttpCheck().RunAsync(monitor, Local, timeout.Token);
    }
}
