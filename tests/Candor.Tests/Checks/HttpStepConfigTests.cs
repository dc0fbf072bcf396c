using Candor.Configuration;
using Candor.Monitoring.Checks;
using Candor.Monitoring.Conditions;

namespace Candor.Tests.Checks;

/// <summary>Steps are parsed when the config loads: every mistake is reported at its line and column.</summary>
public sealed class HttpStepConfigTests
{
    [Fact]
    public void Steps_bind_with_their_conditions_and_captures_parsed()
    {
        var loaded = Load("""
                steps:
                  - method: post
                    path: /login
                    capture: { token: json $.token, session: "header[X-Session]" }
                    conditions: [ "status == 200", "json $.token != null" ]
                  - url: https://api.acme.example/me
            """);

        Assert.Empty(loaded.Errors);
        var steps = Assert.IsType<HttpSettings>(loaded.Config!.Monitors[0].Settings).Steps;
        Assert.Equal(2, steps.Count);
        Assert.Equal("POST /login", steps[0].Label);
        Assert.Equal(["status == 200", "json $.token != null"], steps[0].Conditions.Select(c => c.Text));
        Assert.Equal("json $.token", steps[0].Capture["token"].Text);
        Assert.Equal("header[X-Session]", steps[0].Capture["session"].Text);
        Assert.Equal("GET https://api.acme.example/me", steps[1].Label);
        Assert.Empty(steps[1].Conditions);
    }

    [Fact]
    public void A_step_condition_that_does_not_parse_is_an_error_at_the_character_where_it_goes_wrong()
    {
        var errors = Errors("""
                steps:
                  - path: /login
                    conditions: [ "status == 200", "status = 200" ]
            """);

        Assert.Equal(["test.yaml:9:48: unknown operator '=' (write == to compare)"], errors);
    }

    [Fact]
    public void A_step_condition_on_a_subject_http_does_not_have_is_an_error_at_that_condition()
    {
        var errors = Errors("""
                steps:
                  - path: /login
                    conditions:
                      - status == 200
                      - rcode == NOERROR
            """);

        Assert.Equal(
            ["test.yaml:11:13: http monitors have no 'rcode'; conditions can use: body, cert_expires_in, header, json, response_time, status"],
            errors);
    }

    [Fact]
    public void A_capture_that_does_not_parse_is_an_error_at_its_value()
    {
        var errors = Errors("""
                steps:
                  - path: /login
                    capture:
                      token: json token
                      code: status
            """);

        Assert.Equal(
            [
                "test.yaml:10:23: expected a JSON path after json, such as $.status",
                "test.yaml:11:17: a capture takes json $.path or header[Name]",
            ],
            errors);
    }

    [Fact]
    public void A_variable_no_earlier_step_captures_is_an_error_where_it_is_used()
    {
        var errors = Errors("""
                steps:
                  - path: /me
                    headers: { Authorization: "Bearer {{token}}" }
                  - path: /login
                    capture: { token: json $.token }
                  - path: "/orders?user={{user}}"
            """);

        Assert.Equal(
            [
                "test.yaml:9:9: step 1 uses {{token}}, but it is captured only by this step or a later one",
                "test.yaml:12:9: step 3 uses {{user}}, but no step captures it",
            ],
            errors);
    }

    [Fact]
    public void A_step_needs_exactly_one_of_path_and_url_and_a_valid_request()
    {
        var errors = Errors("""
                steps:
                  - method: "GE T"
                  - path: /a
                    url: ftp://acme.example/a
                    capture: { 2fa: json $.code }
            """);

        Assert.Equal(
            [
                "test.yaml:8:9: a step needs a path (under the monitor's target) or a url",
                "test.yaml:8:9: 'GE T' is not an HTTP method",
                "test.yaml:10:9: a step has a path or a url, not both",
                "test.yaml:10:9: 'ftp://acme.example/a' is not an http or https URL",
                "test.yaml:11:9: '2fa' is not a variable name: use letters, digits and '_', starting with a letter or '_'",
            ],
            errors);
    }

    [Fact]
    public void With_steps_the_monitor_has_no_method_or_body_of_its_own()
    {
        var errors = Errors("""
                method: POST
                body: "{}"
                steps: [ { path: /ok } ]
            """);

        Assert.Equal(
            ["test.yaml:7:5: with steps, each step has its own method", "test.yaml:8:5: with steps, each step has its own body"],
            errors);
    }

    [Fact]
    public void A_capture_is_parsed_from_json_or_a_header_only()
    {
        Assert.Equal("json $.items[0].id", ValueCapture.Parse("json $.items[0].id").Text);
        var error = Assert.Throws<ConditionSyntaxException>(() => ValueCapture.Parse("header[Location] extra"));
        Assert.Equal(17, error.Offset);
        Assert.Equal("unexpected 'extra' after header[Location]", error.Message);
    }

    private static ConfigLoadResult Load(string keys) => ConfigLoader.LoadText(
        $$"""
        components: [ { id: web, name: Website } ]
        monitors:
          - id: login-flow
            component: web
            type: http
            target: https://www.acme.example/
        {{keys}}

        """,
        "test.yaml",
        _ => null);

    private static IReadOnlyList<string> Errors(string keys) => [.. Load(keys).Errors.Select(e => e.ToString())];
}
