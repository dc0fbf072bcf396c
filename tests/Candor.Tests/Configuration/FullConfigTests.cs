using Candor.Configuration;
using Candor.Monitoring;

namespace Candor.Tests.Configuration;

public sealed class FullConfigTests
{
    private const string Yaml = """
        page:     { name: Acme Status, url: https://status.acme.example, time_zone: Europe/Paris }
        storage:  postgres://candor@db.acme.example/candor
        locations: [ { id: eu-west }, { id: us-east, name: US East } ]
        components:
          - { id: web,  name: Website }
          - { id: mail, name: Support e-mail, description: Tickets sent by e-mail, group: Support }
        monitors:
          - id: web-home
            name: Home page
            component: web
            type: http
            target: https://www.acme.example/
            interval: 30s
            timeout: 10s
            locations: [local, eu-west, us-east]
            conditions: [ "status == 200", "body contains Welcome", "cert_expires_in > 14d" ]
            degraded_when: [ "response_time > 800ms" ]
            confirm_after: 3
            quorum: 2
            method: HEAD
            headers: { Accept: text/html, X-Probe: candor }
            follow_redirects: false
            max_body_kb: 64.5
          - { id: mail-pipeline, component: mail, type: heartbeat, every: 5m, grace: 2m }
          - id: web-dns
            component: web
            type: dns
            target: www.acme.example
            record_type: AAAA
            port: 5353
            servers:
              - 9.9.9.9
              - 1.1.1.1
            conditions:
              - len(answers) >= 1
        incidents: { confirm_after: 2, quorum: majority, verify_for: 60m, notify_subscribers: manual }
        retention: { results: 14d }
        """;

    [Fact]
    public void It_binds_every_value_of_a_full_config()
    {
        var result = TestKinds.Load(Yaml);

        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        var config = result.Config!;
        Assert.Equal(new PageConfig { Name = "Acme Status", Url = "https://status.acme.example", TimeZone = "Europe/Paris" }, config.Page);
        Assert.Equal("postgres://candor@db.acme.example/candor", config.Storage);
        Assert.Equal([new LocationConfig { Id = "eu-west" }, new LocationConfig { Id = "us-east", Name = "US East" }], config.Locations);
        Assert.Equal(
            [
                new ComponentConfig { Id = "web", Name = "Website" },
                new ComponentConfig { Id = "mail", Name = "Support e-mail", Description = "Tickets sent by e-mail", Group = "Support" },
            ],
            config.Components);
        Assert.Equal(
            new IncidentDefaults
            {
                ConfirmAfter = 2,
                Quorum = Quorum.Majority,
                VerifyFor = TimeSpan.FromHours(1),
                NotifySubscribers = SubscriberNotification.Manual,
            },
            config.Incidents);
        Assert.Equal(TimeSpan.FromDays(14), config.Retention.Results);
        Assert.Equal(["web-home", "mail-pipeline", "web-dns"], config.Monitors.Select(m => m.Id));
    }

    [Fact]
    public void It_binds_the_common_keys_and_the_type_settings_of_a_monitor()
    {
        var web = TestKinds.Load(Yaml).Config!.Monitors[0];

        Assert.Equal("Home page", web.Name);
        Assert.Equal("web", web.Component);
        Assert.Equal("http", web.Type);
        Assert.Equal("https://www.acme.example/", web.Target);
        Assert.Equal(TimeSpan.FromSeconds(30), web.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), web.Timeout);
        Assert.Equal(["local", "eu-west", "us-east"], web.Locations);
        Assert.Equal(3, web.ConfirmAfter);
        Assert.Equal(new Quorum(2), web.Quorum);
        var settings = Assert.IsType<WebSettings>(web.Settings);
        Assert.Equal("HEAD", settings.Method);
        Assert.Equal(new Dictionary<string, string> { ["Accept"] = "text/html", ["X-Probe"] = "candor" }, settings.Headers);
        Assert.False(settings.FollowRedirects);
        Assert.Equal(64.5, settings.MaxBodyKb);
    }

    [Fact]
    public void It_parses_the_conditions_of_a_monitor()
    {
        var web = TestKinds.Load(Yaml).Config!.Monitors[0];

        Assert.Equal(["status == 200", "body contains Welcome", "cert_expires_in > 14d"], web.Conditions.Select(c => c.Text));
        Assert.Equal(["status", "body", "cert_expires_in"], web.Conditions.Select(c => c.Subject));
        var slow = Assert.Single(web.DegradedWhen);
        var verdict = slow.Evaluate(new Observation { ResponseTime = TimeSpan.FromMilliseconds(900) });
        Assert.Equal(new(true, "response_time (900ms) > 800ms"), verdict);
    }

    [Fact]
    public void It_leaves_defaults_where_the_file_says_nothing()
    {
        var config = TestKinds.Load(Yaml).Config!;
        var heartbeat = config.Monitors[1];

        Assert.Equal(new DeadlineSettings { Every = TimeSpan.FromMinutes(5), Grace = TimeSpan.FromMinutes(2) }, heartbeat.Settings);
        Assert.Equal(TimeSpan.FromSeconds(30), heartbeat.Interval);
        Assert.Equal([LocationConfig.Local], heartbeat.Locations);
        Assert.Null(heartbeat.ConfirmAfter);
        Assert.Null(heartbeat.Quorum);
        Assert.Empty(heartbeat.Conditions);
        var dns = Assert.IsType<LookupSettings>(config.Monitors[2].Settings);
        Assert.Equal(new LookupSettings { RecordType = "AAAA", Port = 5353, Servers = dns.Servers }, dns);
        Assert.Equal(["9.9.9.9", "1.1.1.1"], dns.Servers);
    }

    [Fact]
    public void It_takes_an_empty_file_as_all_defaults()
    {
        var result = TestKinds.Load("# nothing here yet\n");

        Assert.True(result.IsValid);
        Assert.Equal("sqlite:data/candor.db", result.Config!.Storage);
        Assert.Empty(result.Config.Monitors);
    }
}
