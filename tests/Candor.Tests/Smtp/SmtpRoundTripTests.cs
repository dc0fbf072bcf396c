using Candor.Configuration;
using Candor.Monitoring;
using Candor.Monitoring.Checks;
using Candor.Monitoring.Checks.Smtp;
using Candor.Storage;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Smtp;

/// <summary>
/// The round trip with a real aiosmtpd and a real store, on a clock that moves only when told: the smtp check sends
/// the probe, the test plays the mail pipeline that reports it (or loses it), and the heartbeat judges.
/// </summary>
public sealed class SmtpRoundTripTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 17, 5, 0, TimeSpan.Zero);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private static readonly MonitorConfig Heartbeat = new()
    {
        Id = "mail-pipeline",
        Type = "heartbeat",
        Settings = new HeartbeatSettings { Every = TimeSpan.FromHours(1), Grace = TimeSpan.FromHours(1) },
    };

    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new(Start);
    private ICandorStore _store = null!;
    private SmtpServer _smtp = null!;

    public async Task InitializeAsync()
    {
        _store = StoreFactory.Create($"sqlite:{Path.Combine(_directory.Path, "candor.db")}");
        await _store.MigrateAsync(CancellationToken.None);
        await _store.SyncMonitorsAsync(
            [new("mail-pipeline", "heartbeat", null, "mail-pipeline-token-1"), new("mail-probe", "smtp", null, null)],
            Start,
            CancellationToken.None);
        _smtp = await SmtpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _store.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_probe_reaches_the_server_with_its_token_in_the_subject_and_the_body()
    {
        var observation = await SendProbeAsync();

        Assert.Null(observation.Failure);
        var message = await _smtp.WaitForMessageAsync();
        Assert.Equal("candor@acme.example", message.MailFrom);
        Assert.Equal(["support@acme.example"], message.Recipients);
        Assert.Equal("Sun, 01 Nov 2026 17:05:00 +0000", message.Header("Date"));
        Assert.Equal("<support@acme.example>", message.Header("To"));
        var token = Assert.Single(ProbeTokens.FindIn(message.Header("Subject")!));
        Assert.StartsWith("candor-probe-", token, StringComparison.Ordinal);
        Assert.Contains(token, message.Body, StringComparison.Ordinal);
        Assert.Contains("within 5m", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_probe_reported_within_its_deadline_keeps_the_heartbeat_up()
    {
        await SendProbeAsync();
        var token = await ProbeTokenAsync();

        _clock.Advance(TimeSpan.FromMinutes(2));
        await ReportAsync(token);
        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null((await JudgeAsync()).Failure);
    }

    [Fact]
    public async Task A_probe_not_reported_within_its_deadline_turns_the_heartbeat_down()
    {
        await SendProbeAsync();
        var token = await ProbeTokenAsync();

        _clock.Advance(Deadline - TimeSpan.FromSeconds(1));
        var stillWaiting = await JudgeAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var lost = await JudgeAsync();

        Assert.Null(stillWaiting.Failure);
        Assert.Equal(ErrorKind.Heartbeat, lost.Failure);
        Assert.Equal($"probe {token} sent at 17:05:00Z was not delivered within 5m", lost.FailureMessage);
    }

    [Fact]
    public async Task A_probe_reported_after_its_deadline_is_down_and_says_when_it_came()
    {
        await SendProbeAsync();
        var token = await ProbeTokenAsync();

        _clock.Advance(TimeSpan.FromMinutes(7));
        await ReportAsync(token);
        var observation = await JudgeAsync();

        Assert.Equal(ErrorKind.Heartbeat, observation.Failure);
        Assert.Equal(
            $"probe {token} sent at 17:05:00Z was delivered only at 17:12:00Z, later than its deadline of 5m", observation.FailureMessage);
    }

    [Fact]
    public async Task The_next_probe_that_arrives_in_time_brings_the_heartbeat_back_up()
    {
        await SendProbeAsync();
        _clock.Advance(Deadline + TimeSpan.FromMinutes(1));
        Assert.Equal(ErrorKind.Heartbeat, (await JudgeAsync()).Failure);

        await SendProbeAsync();
        var second = ProbeTokens.FindIn(_smtp.Messages[^1].Header("Subject")!).Single();
        _clock.Advance(TimeSpan.FromMinutes(1));
        await ReportAsync(second);
        _clock.Advance(Deadline);

        Assert.Null((await JudgeAsync()).Failure);
    }

    [Fact]
    public async Task A_report_of_a_probe_sent_to_another_heartbeat_does_not_count()
    {
        await SendProbeAsync();
        var token = await ProbeTokenAsync();

        await _store.RecordMailProbeDeliveryAsync("another-heartbeat", token, _clock.GetUtcNow(), CancellationToken.None);
        _clock.Advance(Deadline);

        Assert.Equal(ErrorKind.Heartbeat, (await JudgeAsync()).Failure);
    }

    private async Task<Observation> SendProbeAsync()
    {
        var monitor = new MonitorConfig
        {
            Id = "mail-probe",
            Type = "smtp",
            Target = _smtp.Target,
            Settings = new SmtpSettings
            {
                SendTo = "support@acme.example",
                MailFrom = "candor@acme.example",
                Heartbeat = Heartbeat.Id,
                Deadline = Deadline,
            },
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await new SmtpCheck(_store).RunAsync(monitor, new CheckContext(LocationConfig.Local, _clock), timeout.Token);
    }

    private async Task<string> ProbeTokenAsync() =>
        ProbeTokens.FindIn((await _smtp.WaitForMessageAsync()).Header("Subject")!).Single();

    /// <summary>What the ping route stores when the pipeline reports a probe.</summary>
    private async Task ReportAsync(string token)
    {
        var now = _clock.GetUtcNow();
        await _store.RecordMailProbeDeliveryAsync(Heartbeat.Id, token, now, CancellationToken.None);
        await _store.RecordPingAsync(new HeartbeatPing(Heartbeat.Id, PingKind.Success, now, null), CancellationToken.None);
    }

    private Task<Observation> JudgeAsync() =>
        new HeartbeatCheck(_store).RunAsync(Heartbeat, new CheckContext(LocationConfig.Local, _clock), CancellationToken.None);
}
