namespace Candor.Tests.Configuration;

/// <summary>Each bad config gets one error, with the exact message and the line and column of what is at fault.</summary>
public sealed class BadConfigTests
{
    public static TheoryData<string, string> BadConfigs => new()
    {
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: http
                target: https://acme.example/
                intervall: 30s
            """,
            "7:5: unknown key 'intervall' — did you mean 'interval'?"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: web-home, component: wbe, type: http, target: https://acme.example/ }
            """,
            "3:32: monitor 'web-home' names component 'wbe', which is not defined — did you mean 'web'?"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: http
                target: https://acme.example/
                interval: 30x
            """,
            "7:15: '30x' is not a duration: use 30s, 5m, 2h, 14d"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: web-home, component: web, type: htp }
            """,
            "3:43: unknown monitor type 'htp' — did you mean 'http'? Known types: dns, heartbeat, http, tcp"
        },
        {
            "colour: red",
            "1:1: unknown key 'colour'; known keys: components, incidents, locations, maintenance, monitors, notifications, page, retention, storage"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: http
                target: https://acme.example/
                folow_redirects: false
            """,
            "7:5: unknown key 'folow_redirects' — did you mean 'follow_redirects'?"
        },
        {
            """
            storage: sqlite:a.db
            storage: sqlite:b.db
            """,
            "2:1: duplicate key 'storage', first given at line 1"
        },
        { "incidents: { confirm_after: abc }", "1:29: 'abc' is not a whole number" },
        { "incidents: { notify_subscribers: maybe }", "1:34: 'maybe' is not one of: auto, manual" },
        { "incidents: { quorum: 0 }", "1:22: '0' is not a quorum: use majority or a number of locations, at least 1" },
        { "incidents: { confirm_after: 0 }", "1:29: confirm_after must be at least 1" },
        { "incidents: { verify_for: 0s }", "1:26: verify_for must be more than 0" },
        { "retention: { results: 12h }", "1:23: results must be at least 1d" },
        { "notifications: { webhook_parallel: 0 }", "1:18: webhook_parallel must be from 1 to 256" },
        {
            "page: { name: Acme, time_zone: Europe/Pariss }",
            "1:32: 'Europe/Pariss' is not a known time zone — did you mean 'Europe/Paris'?"
        },
        {
            "storage: mysql://db/candor",
            "1:10: storage must be sqlite:PATH, a postgres:// URL, or a PostgreSQL connection string with Host="
        },
        { "components: { id: web }", "1:13: expected a list, not a mapping" },
        { "components: [ { id: web } ]", "1:15: component 'web' is missing key 'name'" },
        { "locations: [ { name: Somewhere } ]", "1:14: location is missing key 'id'" },
        { "locations: [ { id: local } ]", "1:20: 'local' is the server itself and needs no entry under locations" },
        {
            "components: [ { id: Web Home, name: Website } ]",
            "1:21: 'Web Home' is not a valid component id: use lowercase letters, digits, '-' and '_', starting with a letter or digit"
        },
        {
            """
            components:
              - { id: web, name: Website }
              - { id: web, name: Web shop }
            """,
            "3:11: duplicate component id 'web', first defined at line 2"
        },
        {
            """
            locations: [ { id: eu-west } ]
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: tcp
                locations: eu-west
            """,
            "7:16: expected a list, not a single value: write [eu-west]"
        },
        {
            """
            locations: [ { id: eu-west } ]
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: tcp
                locations: [local, eu-wset]
            """,
            "7:24: monitor 'web-home' runs at location 'eu-wset', which is not defined — did you mean 'eu-west'?"
        },
        {
            """
            locations: [ { id: eu-west } ]
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: tcp
                locations: [eu-west, local, eu-west]
            """,
            "7:33: monitor 'web-home' lists location 'eu-west' twice"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: web-home, component: web, type: tcp, interval: 5s, timeout: 10s }
            """,
            "3:71: timeout (10s) must not be longer than interval (5s)"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: web-home, component: web, type: tcp, interval: 0s }
            """,
            "3:58: interval must be more than 0"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: http
                target: https://acme.example/
                conditions: [ "status = 200" ]
            """,
            "7:27: unknown operator '=' (write == to compare)"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: tcp
                conditions: [ status == 200 ]
            """,
            "6:19: tcp monitors have no 'status'; conditions can use: connect_time, response_time"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: tcp
                degraded_when: [ response_time > 1s, status == 500 ]
            """,
            "6:42: tcp monitors have no 'status'; conditions can use: connect_time, response_time"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: http
                target: https://acme.example/
                method: FETCH
            """,
            "7:5: 'FETCH' is not a method: use GET, HEAD or POST"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: http
            """,
            "3:5: http monitor 'web-home' needs a target"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: http
                target: https://acme.example/
                follow_redirects: maybe
            """,
            "7:23: 'maybe' is not true or false"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - id: web-home
                component: web
                type: http
                target: https://acme.example/
                max_body_kb: lots
            """,
            "7:18: 'lots' is not a number"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: web-home, component: web, type: heartbeat, conditions: [ "status == 200" ] }
            """,
            "3:68: heartbeat monitors have no 'status'; they take no conditions"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: web-home, type: tcp }
            """,
            "3:5: monitor 'web-home' is missing key 'component'"
        },
        {
            """
            components: [ { id: web, name: Website } ]
            monitors:
              - { id: web-home, component: web, type: tcp, interval: }
            """,
            "3:58: 'interval' needs a value"
        },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void It_reports_the_one_error_in_a_bad_config_where_it_is(string yaml, string expected)
    {
        var result = TestKinds.Load(yaml);

        Assert.Null(result.Config);
        Assert.Equal([expected], result.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}"));
        Assert.All(result.Errors, e => Assert.Equal("candor.yaml", e.File));
    }
}
