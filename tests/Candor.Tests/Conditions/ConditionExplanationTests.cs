using Candor.Monitoring;
using Candor.Monitoring.Conditions;

namespace Candor.Tests.Conditions;

/// <summary>Each verdict shows the value the condition saw, so that an operator sees at once why a check failed.</summary>
public sealed class ConditionExplanationTests
{
    private const string Page =
        "<html><head><title>Welcome to Acme</title></head><body>Service unavailable, please retry later</body></html>";

    private const string PageCut = "<html><head><title>Welcome to Acme</title></head><body>Servi…";

    private readonly Dictionary<string, Observation> _observations = new()
    {
        ["web page"] = new Observation
        {
            ResponseTime = TimeSpan.FromMilliseconds(1_200),
            Facts = new Dictionary<string, object> { ["status"] = 500L, ["cert_expires_in"] = TimeSpan.FromDays(30) },
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Content-Type"] = "text/html; charset=utf-8",
                ["Content-Length"] = "5120",
            },
            Body = Page,
        },
        ["api"] = new Observation
        {
            Facts = new Dictionary<string, object> { ["status"] = 200L },
            Body = """{"status":"DOWN","count":5,"items":[{"id":7},{"id":8},{"id":9}],"ok":true,"version":null,"name":"7"}""",
        },
        ["not json"] = new Observation { Body = "Service unavailable" },
        ["no body"] = new Observation(),
        ["dns"] = new Observation
        {
            Facts = new Dictionary<string, object>
            {
                ["answers"] = new List<string> { "1.2.3.4", "5.6.7.8" },
                ["rcode"] = "NOERROR",
                ["response_time"] = TimeSpan.FromMilliseconds(40),
            },
        },
        ["network"] = new Observation
        {
            Facts = new Dictionary<string, object> { ["packet_loss"] = 25.0, ["chain_valid"] = false },
        },
    };

    [Theory]
    [InlineData("status == 200", "web page", false, "status (500) == 200")]
    [InlineData("status == 500", "web page", true, "status (500) == 500")]
    [InlineData("status != 500", "web page", false, "status (500) != 500")]
    [InlineData("status < 400", "api", true, "status (200) < 400")]
    [InlineData("status in [200, 204]", "web page", false, "status (500) in [200, 204]")]
    [InlineData("status not in [500, 503]", "web page", false, "status (500) not in [500, 503]")]
    [InlineData("status > 5s", "web page", false, "status (500) > 5s — a number does not compare with a duration")]
    [InlineData("status == [200, 204]", "web page", false,
        "status (500) == [200, 204] — one value is not a list; use in to compare with each item of a list")]
    [InlineData("body contains Welcome", "web page", true, "body (" + PageCut + ") contains Welcome")]
    [InlineData("body not contains \"unavailable\"", "web page", false, "body (" + PageCut + ") not contains \"unavailable\"")]
    [InlineData("body matches \"<title>Welcome\"", "web page", true, "body (" + PageCut + ") matches \"<title>Welcome\"")]
    [InlineData("body contains x", "no body", false, "body (no body) contains x")]
    [InlineData("header[Content-Type] contains json", "web page", false, "header[Content-Type] (text/html; charset=utf-8) contains json")]
    [InlineData("header[content-type] contains html", "web page", true, "header[content-type] (text/html; charset=utf-8) contains html")]
    [InlineData("header[Content-Length] > 1000", "web page", true, "header[Content-Length] (5120) > 1000")]
    [InlineData("header[X-Id] contains a", "web page", false, "header[X-Id] (absent) contains a")]
    [InlineData("response_time < 800ms", "web page", false, "response_time (1.2s) < 800ms")]
    [InlineData("response_time < 800", "web page", false, "response_time (1.2s) < 800 — write a duration, e.g. 800ms")]
    [InlineData("response_time < 800ms", "dns", true, "response_time (40ms) < 800ms")]
    [InlineData("cert_expires_in > 14d", "web page", true, "cert_expires_in (30d) > 14d")]
    [InlineData("cert_expires_in > 14d", "dns", false, "cert_expires_in (missing) > 14d")]
    [InlineData("json $.status == \"UP\"", "api", false, "json $.status (\"DOWN\") == \"UP\"")]
    [InlineData("json $.status == DOWN", "api", true, "json $.status (\"DOWN\") == DOWN")]
    [InlineData("json $.status != \"UP\"", "api", true, "json $.status (\"DOWN\") != \"UP\"")]
    [InlineData("json $.items[0].id == 7", "api", true, "json $.items[0].id (7) == 7")]
    [InlineData("json $.count > 3", "api", true, "json $.count (5) > 3")]
    [InlineData("json $.name == 7", "api", false, "json $.name (\"7\") == 7")]
    [InlineData("json $.count == \"5\"", "api", false, "json $.count (5) == \"5\"")]
    [InlineData("json $.ok == true", "api", true, "json $.ok (true) == true")]
    [InlineData("json $.version == null", "api", true, "json $.version (null) == null")]
    [InlineData("json $.items[3].id == 10", "api", false, "json $.items[3].id (missing) == 10")]
    [InlineData("json $.status == \"UP\"", "not json", false, "json $.status (body is not JSON) == \"UP\"")]
    [InlineData("len(json $.items) == 3", "api", true, "len(json $.items) (3) == 3")]
    [InlineData("len(answers) >= 1", "dns", true, "len(answers) (2) >= 1")]
    [InlineData("answers contains \"1.2.3.4\"", "dns", true, "answers ([1.2.3.4, 5.6.7.8]) contains \"1.2.3.4\"")]
    [InlineData("answers == [5.6.7.8, 1.2.3.4]", "dns", true, "answers ([1.2.3.4, 5.6.7.8]) == [5.6.7.8, 1.2.3.4]")]
    [InlineData("answers == [1.2.3.4]", "dns", false, "answers ([1.2.3.4, 5.6.7.8]) == [1.2.3.4]")]
    [InlineData("rcode == NOERROR", "dns", true, "rcode (NOERROR) == NOERROR")]
    [InlineData("rcode in [NXDOMAIN, SERVFAIL]", "dns", false, "rcode (NOERROR) in [NXDOMAIN, SERVFAIL]")]
    [InlineData("chain_valid == true", "network", false, "chain_valid (false) == true")]
    [InlineData("packet_loss < 20%", "network", false, "packet_loss (25) < 20%")]
    public void It_explains_the_verdict_with_the_resolved_value(string text, string observation, bool holds, string explanation)
    {
        var verdict = ConditionParser.Parse(text).Evaluate(_observations[observation]);

        Assert.Equal(explanation, verdict.Explanation);
        Assert.Equal(holds, verdict.Holds);
    }
}
