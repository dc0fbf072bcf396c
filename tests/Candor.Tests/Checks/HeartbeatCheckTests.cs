using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Checks;

/// <summary>
/// The heartbeat rule on a clock that moves only when told. The check around it only reads the store; that path
/// is covered end to end with a real store.
/// </summary>
public sealed class HeartbeatCheckTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly HeartbeatSettings EveryFiveMinutes = new() { Every = TimeSpan.FromMinutes(5), Grace = TimeSpan.FromMinutes(2) };
    private static readonly LatestPings SuccessAtNoon = new(Success: Noon, Fail: null, Start: null);
    private static readonly LatestPings NeverPinged = new(Success: null, Fail: null, Start: null);

    private readonly ManualClock _clock = new(Noon);

    [Fact]
    public void A_job_that_pinged_within_its_interval_is_up_with_the_age_of_its_ping()
    {
        _clock.Advance(TimeSpan.FromMinutes(4));

        var observation = Evaluate(SuccessAtNoon);

        Assert.Null(observation.Failure);
        Assert.Equal(TimeSpan.FromMinutes(4), observation.Facts["last_ping_age"]);
        Assert.Equal(TimeSpan.Zero, observation.Facts["response_time"]);
    }

    [Fact]
    public void A_ping_that_is_late_but_within_the_grace_is_still_up()
    {
        _clock.Advance(TimeSpan.FromMinutes(7));

        Assert.Null(Evaluate(SuccessAtNoon).Failure);
    }

    [Fact]
    public void A_job_with_no_ping_past_interval_and_grace_is_down()
    {
        _clock.Advance(TimeSpan.FromMinutes(7) + TimeSpan.FromSeconds(1));

        var observation = Evaluate(SuccessAtNoon);

        Assert.Equal(ErrorKind.Heartbeat, observation.Failure);
        Assert.Equal("no ping since 12:00:00Z; it was due by 12:05:00Z", observation.FailureMessage);
    }

    [Fact]
    public void A_ping_from_another_day_is_named_with_its_date()
    {
        _clock.AdvanceTo(Noon.AddDays(1));

        Assert.Equal(
            "no ping since 2026-11-01T12:00:00Z; it was due by 2026-11-01T12:05:00Z", Evaluate(SuccessAtNoon).FailureMessage);
    }

    [Fact]
    public void A_monitor_that_never_got_a_ping_counts_from_when_it_was_first_seen()
    {
        _clock.Advance(TimeSpan.FromMinutes(7));
        var inTime = Evaluate(NeverPinged, firstSeenAt: Noon);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var late = Evaluate(NeverPinged, firstSeenAt: Noon);

        Assert.Null(inTime.Failure);
        Assert.False(inTime.Facts.ContainsKey("last_ping_age"));
        Assert.Equal(ErrorKind.Heartbeat, late.Failure);
        Assert.Equal("no ping received since the monitor was added at 12:00:00Z", late.FailureMessage);
    }

    [Fact]
    public void A_failure_reported_after_the_last_success_is_down_at_once()
    {
        var failedAt = Noon + new TimeSpan(0, 3, 10);
        _clock.AdvanceTo(failedAt + TimeSpan.FromSeconds(1));

        var observation = Evaluate(SuccessAtNoon with { Fail = failedAt });

        Assert.Equal(ErrorKind.Heartbeat, observation.Failure);
        Assert.Equal("the job reported failure at 12:03:10Z", observation.FailureMessage);
    }

    [Fact]
    public void A_success_after_a_reported_failure_is_up_again()
    {
        _clock.Advance(TimeSpan.FromMinutes(6));

        var observation = Evaluate(new LatestPings(Success: Noon.AddMinutes(5), Fail: Noon.AddMinutes(1), Start: null));

        Assert.Null(observation.Failure);
        Assert.Equal(TimeSpan.FromMinutes(1), observation.Facts["last_ping_age"]);
    }

    [Fact]
    public void A_run_that_started_and_did_not_succeed_within_the_grace_is_down()
    {
        var startedAt = Noon.AddMinutes(5);
        _clock.AdvanceTo(startedAt + TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        var observation = Evaluate(SuccessAtNoon with { Start = startedAt });

        Assert.Equal(ErrorKind.Heartbeat, observation.Failure);
        Assert.Equal("the job started at 12:05:00Z and did not report success within 2m", observation.FailureMessage);
    }

    [Fact]
    public void A_running_job_within_the_grace_is_up_even_past_its_usual_deadline()
    {
        _clock.AdvanceTo(Noon.AddMinutes(7).AddSeconds(30));

        Assert.Null(Evaluate(SuccessAtNoon with { Start = Noon.AddMinutes(6) }).Failure);
    }

    [Fact]
    public void A_run_that_started_and_then_succeeded_is_up()
    {
        _clock.AdvanceTo(Noon.AddMinutes(10));

        var observation = Evaluate(new LatestPings(Success: Noon.AddMinutes(8), Fail: null, Start: Noon.AddMinutes(5)));

        Assert.Null(observation.Failure);
        Assert.Equal(TimeSpan.FromMinutes(2), observation.Facts["last_ping_age"]);
    }

    [Fact]
    public void A_lost_mail_probe_is_down_even_while_other_pings_arrive_on_time()
    {
        _clock.AdvanceTo(Noon.AddMinutes(4));

        var observation = Evaluate(SuccessAtNoon, probe: new MailProbe("mail-pipeline", "candor-probe-x", Noon.AddMinutes(-1), Noon.AddMinutes(4)));

        Assert.Equal(ErrorKind.Heartbeat, observation.Failure);
        Assert.Equal("probe candor-probe-x sent at 11:59:00Z was not delivered within 5m", observation.FailureMessage);
    }

    [Fact]
    public void A_mail_probe_delivered_by_its_deadline_is_up()
    {
        _clock.AdvanceTo(Noon.AddMinutes(4));

        var probe = new MailProbe("mail-pipeline", "candor-probe-x", Noon.AddMinutes(-1), Noon.AddMinutes(4), Noon.AddMinutes(4));

        Assert.Null(Evaluate(SuccessAtNoon, probe: probe).Failure);
    }

    [Fact]
    public void A_failure_the_job_reported_is_named_before_a_lost_mail_probe()
    {
        _clock.AdvanceTo(Noon.AddMinutes(4));

        var observation = Evaluate(
            SuccessAtNoon with { Fail = Noon.AddMinutes(2) },
            probe: new MailProbe("mail-pipeline", "candor-probe-x", Noon.AddMinutes(-1), Noon.AddMinutes(4)));

        Assert.Equal("the job reported failure at 12:02:00Z", observation.FailureMessage);
    }

    [Fact]
    public void A_heartbeat_is_confirmed_down_on_its_first_failure()
    {
        Assert.True(CheckCatalog.Find("heartbeat")!.ConfirmsAtOnce);
    }

    [Fact]
    public void An_interval_is_required_and_the_grace_has_a_default()
    {
        var settings = new HeartbeatSettings();

        Assert.Equal(TimeSpan.FromMinutes(1), settings.Grace);
        Assert.Equal("every", Assert.Single(settings.Validate(Monitor(target: null))).Key);
        Assert.Empty((settings with { Every = TimeSpan.FromMinutes(5) }).Validate(Monitor(target: null)));
    }

    [Fact]
    public void A_target_a_negative_grace_or_a_guessable_token_is_a_problem_at_its_key()
    {
        var settings = new HeartbeatSettings { Every = TimeSpan.FromMinutes(5), Grace = TimeSpan.FromMinutes(-1), Token = "mail" };

        var keys = settings.Validate(Monitor("https://mail.example/")).Select(p => p.Key);

        Assert.Equal(["target", "grace", "token"], keys);
    }

    [Fact]
    public void A_long_url_safe_token_is_accepted()
    {
        var settings = new HeartbeatSettings { Every = TimeSpan.FromMinutes(5), Token = "3f0c2a9e-6b1d-4e5f-9a7c-2d8b1e4f6a90" };

        Assert.Empty(settings.Validate(Monitor(target: null)));
    }

    private Observation Evaluate(LatestPings pings, DateTimeOffset? firstSeenAt = null, MailProbe? probe = null) =>
        HeartbeatRule.Evaluate(EveryFiveMinutes, pings, firstSeenAt ?? Noon.AddHours(-1), _clock.GetUtcNow(), probe);

    private static MonitorConfig Monitor(string? target) => new() { Id = "mail-pipeline", Type = "heartbeat", Target = target };
}
