using Candor.Configuration;
using Candor.Monitoring.Checks;
using Candor.Monitoring.Checks.Smtp;

namespace Candor.Tests.Smtp;

/// <summary>The smtp keys as `candor validate` sees them: every mistake at its line and column.</summary>
public sealed class SmtpSettingsTests
{
    private const string Head = """
        components: [ { id: mail, name: Support e-mail } ]
        monitors:
          - { id: mail-pipeline, component: mail, type: heartbeat, every: 10m }
          - { id: web, component: mail, type: http, target: "https://acme.example/" }

        """;

    [Fact]
    public void A_round_trip_config_binds_with_its_defaults()
    {
        var config = Load("""
              - id: mail-probe
                component: mail
                type: smtp
                target: mail.acme.example
                send_to: support@acme.example
                mail_from: candor@acme.example
                heartbeat: mail-pipeline
            """);

        var settings = Assert.IsType<SmtpSettings>(config.Config!.Monitors[^1].Settings);
        Assert.Empty(config.Errors);
        Assert.Equal(StartTlsMode.Optional, settings.Starttls);
        Assert.True(settings.VerifyTls);
        Assert.Equal("candor.local", settings.EhloName);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Deadline);
    }

    [Fact]
    public void Starttls_and_the_deadline_bind_from_their_yaml_forms()
    {
        var config = Load("""
              - { id: mail-probe, component: mail, type: smtp, target: "mail.acme.example:587", starttls: required, verify_tls: false, deadline: 15m }
            """);

        var settings = Assert.IsType<SmtpSettings>(config.Config!.Monitors[^1].Settings);
        Assert.Equal(StartTlsMode.Required, settings.Starttls);
        Assert.False(settings.VerifyTls);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.Deadline);
    }

    [Fact]
    public void A_heartbeat_that_is_not_in_the_config_is_an_error_at_its_value()
    {
        var errors = Errors("""
              - { id: mail-probe, component: mail, type: smtp, target: mail.acme.example, send_to: a@acme.example, mail_from: b@acme.example, heartbeat: mail-pipelin }
            """);

        Assert.Equal(
            ["test.yaml:5:142: 'mail-pipelin' is not a monitor of this config — did you mean 'mail-pipeline'?"], errors);
    }

    [Fact]
    public void A_heartbeat_key_that_names_another_type_of_monitor_is_an_error()
    {
        var errors = Errors("""
              - { id: mail-probe, component: mail, type: smtp, target: mail.acme.example, send_to: a@acme.example, mail_from: b@acme.example, heartbeat: web }
            """);

        Assert.Equal(["test.yaml:5:142: 'web' is a monitor of type http; heartbeat must name one of type heartbeat"], errors);
    }

    [Fact]
    public void The_round_trip_keys_need_each_other()
    {
        var errors = Errors("""
              - id: no-sender
                component: mail
                type: smtp
                target: mail.acme.example
                send_to: support@acme.example
              - id: no-mailbox
                component: mail
                type: smtp
                target: mail.acme.example
                heartbeat: mail-pipeline
            """);

        Assert.Equal(
            [
                "test.yaml:9:5: send_to needs mail_from: the sender the server should accept the probe from",
                "test.yaml:14:5: this belongs to the round trip, which needs send_to: the mailbox to probe",
            ],
            errors);
    }

    [Fact]
    public void Bad_values_are_errors_at_their_keys()
    {
        var errors = Errors("""
              - id: mail-probe
                component: mail
                type: smtp
                target: "mail.acme.example:smtp"
                starttls: off
                username: alice
                password: s3cret
                send_to: "not a mailbox"
                mail_from: candor@acme.example
                deadline: 0s
            """);

        Assert.Equal(
            [
                "test.yaml:5:5: 'mail.acme.example:smtp' is not host or host:port (an IPv6 address is written [2001:db8::1]:25)",
                "test.yaml:10:5: a password is never sent without TLS: remove starttls: off",
                "test.yaml:12:5: 'not a mailbox' is not a mailbox such as support@example.com",
                "test.yaml:14:5: deadline must be more than 0",
            ],
            errors);
    }

    [Theory]
    [InlineData("mail.acme.example", "mail.acme.example", 25)]
    [InlineData("mail.acme.example:587", "mail.acme.example", 587)]
    [InlineData("192.0.2.25", "192.0.2.25", 25)]
    [InlineData("[2001:db8::25]", "2001:db8::25", 25)]
    [InlineData("[2001:db8::25]:465", "2001:db8::25", 465)]
    public void A_target_without_a_port_is_on_port_25(string target, string host, int port)
    {
        Assert.True(SmtpSettings.TryParseTarget(target, out var endpoint));
        Assert.Equal(new HostPort(host, port), endpoint);
    }

    private static ConfigLoadResult Load(string monitors) =>
        ConfigLoader.LoadText(Head + monitors + "\n", "test.yaml", _ => null);

    private static IReadOnlyList<string> Errors(string monitors) => [.. Load(monitors).Errors.Select(e => e.ToString())];
}
