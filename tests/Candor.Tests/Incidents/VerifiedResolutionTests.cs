using Candor.Incidents;
using Candor.Monitoring;
using Candor.Tests.Fixtures;

namespace Candor.Tests.Incidents;

/// <summary>
/// The incident life cycle as a table of scenarios on a manual clock: two locations (the server and a remote
/// one), checks every 30 s, failures confirmed after two, a verification window of 60 minutes.
/// </summary>
public sealed class VerifiedResolutionTests : IAsyncLifetime
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Hour = TimeSpan.FromMinutes(60);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 3, 17, 0, 0, TimeSpan.Zero));
    private IncidentSimulation _sim = null!;

    public async Task InitializeAsync() => _sim = await IncidentSimulation.StartAsync("""
        locations: [ { id: eu-west } ]
        components: [ { id: mail, name: Support e-mail }, { id: web, name: Website } ]
        monitors:
          - { id: mail-smtp, component: mail, type: scripted, interval: 30s, timeout: 10s, locations: [local, eu-west] }
          - { id: web-home, component: web, type: scripted, interval: 30s, timeout: 10s, locations: [local, eu-west] }
        incidents: { confirm_after: 2, verify_for: 60m }

        """, _clock);

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    /// <summary>Healthy for a while, then the mail monitor fails everywhere until it is confirmed, then recovers.</summary>
    private async Task<DateTimeOffset> OutageThenRecoveryAsync()
    {
        await _sim.RunForAsync(TimeSpan.FromMinutes(5), Every, Outcome.Up);
        _clock.Advance(Every);
        var firstFailure = _clock.GetUtcNow();
        await _sim.ReportAsync("mail-smtp", "local", Outcome.Down);
        await _sim.ReportAsync("mail-smtp", "eu-west", Outcome.Down);
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(Every);
            await _sim.ReportAsync("mail-smtp", "local", Outcome.Down);
            await _sim.ReportAsync("mail-smtp", "eu-west", Outcome.Down);
            await _sim.ReportAsync("web-home", "local", Outcome.Up);
            await _sim.ReportAsync("web-home", "eu-west", Outcome.Up);
        }

        _clock.Advance(Every);
        await _sim.ReportAsync(Outcome.Up);
        return firstFailure;
    }

    [Fact]
    public async Task An_outage_opens_an_incident_and_a_clean_recovery_resolves_it_exactly_after_60_verified_minutes()
    {
        var firstFailure = await OutageThenRecoveryAsync();
        var recoveredAt = _clock.GetUtcNow();

        var monitoring = await _sim.OnlyIncidentAsync();
        Assert.Equal(IncidentStatus.Monitoring, monitoring.Status);
        Assert.Equal(IncidentImpact.Critical, monitoring.Impact);
        Assert.Equal(["mail"], monitoring.ComponentIds);
        Assert.Equal(firstFailure, monitoring.StartedAt);
        Assert.Equal(recoveredAt, monitoring.VerifyingSince);

        await _sim.RunForAsync(Hour - Every, Every, Outcome.Up);
        Assert.Equal(IncidentStatus.Monitoring, (await _sim.OnlyIncidentAsync()).Status);

        await _sim.RunForAsync(Every, Every, Outcome.Up);
        var resolved = await _sim.OnlyIncidentAsync();
        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal(recoveredAt + Hour, resolved.ResolvedAt);
        Assert.Equal(firstFailure, resolved.ImpactStart);
        Assert.Equal(recoveredAt - Every + TimeSpan.FromMilliseconds(40), resolved.ImpactEnd);

        var kinds = (await _sim.TimelineAsync(resolved.Id)).Select(e => e.Kind);
        Assert.Equal([IncidentEventKind.Opened, IncidentEventKind.Transition, IncidentEventKind.Resolved], kinds);
    }

    [Fact]
    public async Task A_failure_inside_the_window_regresses_the_incident_and_restarts_the_window()
    {
        await OutageThenRecoveryAsync();
        await _sim.RunForAsync(TimeSpan.FromMinutes(20), Every, Outcome.Up);

        _clock.Advance(Every);
        await _sim.ReportAsync("mail-smtp", "eu-west", Outcome.Down);
        var regressed = await _sim.OnlyIncidentAsync();
        Assert.Equal(IncidentStatus.Investigating, regressed.Status);
        Assert.Null(regressed.VerifyingSince);
        var regression = (await _sim.TimelineAsync(regressed.Id))[^1];
        Assert.Equal(IncidentEventKind.Regressed, regression.Kind);
        Assert.True(regression.Public);
        Assert.Contains("has returned", regression.Body, StringComparison.Ordinal);

        _clock.Advance(Every);
        await _sim.ReportAsync(Outcome.Up);
        var secondWindow = _clock.GetUtcNow();
        Assert.Equal(secondWindow, (await _sim.OnlyIncidentAsync()).VerifyingSince);

        // The first window's 20 clean minutes count for nothing: 60 more are needed.
        await _sim.RunForAsync(Hour - Every, Every, Outcome.Up);
        Assert.Equal(IncidentStatus.Monitoring, (await _sim.OnlyIncidentAsync()).Status);
        await _sim.RunForAsync(Every, Every, Outcome.Up);
        Assert.Equal(secondWindow + Hour, (await _sim.OnlyIncidentAsync()).ResolvedAt);
    }

    [Fact]
    public async Task A_silent_location_blocks_resolution_until_it_reports_for_a_whole_window()
    {
        await OutageThenRecoveryAsync();
        await _sim.RunForAsync(TimeSpan.FromMinutes(90), Every, Outcome.Up, except: "eu-west");

        var incident = await _sim.OnlyIncidentAsync();
        Assert.Equal(IncidentStatus.Monitoring, incident.Status);
        var verdict = await _sim.Engine.VerdictAsync(incident.Id, _clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(["mail-smtp @ eu-west"], verdict!.SilentLocations);
        Assert.Contains("mail-smtp @ eu-west has not reported", verdict.Reasons());

        // It reports again: the window counts from then, not from the recovery.
        _clock.Advance(Every);
        await _sim.ReportAsync(Outcome.Up);
        var resumed = _clock.GetUtcNow();
        await _sim.RunForAsync(Hour - Every, Every, Outcome.Up);
        Assert.Equal(IncidentStatus.Monitoring, (await _sim.OnlyIncidentAsync()).Status);
        await _sim.RunForAsync(Every, Every, Outcome.Up);
        Assert.Equal(resumed + Hour, (await _sim.OnlyIncidentAsync()).ResolvedAt);
    }

    [Fact]
    public async Task Resolving_early_is_refused_with_what_is_missing()
    {
        await OutageThenRecoveryAsync();
        await _sim.RunForAsync(TimeSpan.FromMinutes(19), Every, Outcome.Up, except: "eu-west");
        var incident = await _sim.OnlyIncidentAsync();

        var refusal = await Assert.ThrowsAsync<IncidentRefusedException>(() =>
            _sim.Engine.ResolveAsync(incident.Id, overrideGate: false, reason: null, "alice", _clock.GetUtcNow(), CancellationToken.None));

        Assert.Equal("unverified", refusal.Kind);
        Assert.Equal("41 min left of the verification window; mail-smtp @ eu-west has not reported", refusal.Message);
        Assert.Equal(IncidentStatus.Monitoring, (await _sim.OnlyIncidentAsync()).Status);
    }

    [Fact]
    public async Task An_override_resolves_with_its_reason_on_the_public_timeline()
    {
        await OutageThenRecoveryAsync();
        await _sim.RunForAsync(TimeSpan.FromMinutes(10), Every, Outcome.Up);
        var incident = await _sim.OnlyIncidentAsync();

        await Assert.ThrowsAsync<IncidentRefusedException>(() =>
            _sim.Engine.ResolveAsync(incident.Id, overrideGate: true, reason: " ", "alice", _clock.GetUtcNow(), CancellationToken.None));
        var resolved = await _sim.Engine.ResolveAsync(
            incident.Id, overrideGate: true, reason: "the provider confirmed the fix", "alice", _clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        var last = (await _sim.TimelineAsync(incident.Id))[^1];
        Assert.Equal(IncidentEventKind.Resolved, last.Kind);
        Assert.True(last.Public);
        Assert.Equal("alice", last.Actor);
        Assert.Equal("Resolved by alice before verification finished. Reason: the provider confirmed the fix", last.Body);
        Assert.Contains("50 min left", last.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_the_window_neither_skips_nor_restarts_it()
    {
        await OutageThenRecoveryAsync();
        var recoveredAt = _clock.GetUtcNow();
        await _sim.RunForAsync(TimeSpan.FromMinutes(30), Every, Outcome.Up);

        await _sim.RestartAsync();
        Assert.Equal(recoveredAt, (await _sim.OnlyIncidentAsync()).VerifyingSince);

        await _sim.RunForAsync(TimeSpan.FromMinutes(30) - Every, Every, Outcome.Up);
        Assert.Equal(IncidentStatus.Monitoring, (await _sim.OnlyIncidentAsync()).Status);
        await _sim.RunForAsync(Every, Every, Outcome.Up);
        Assert.Equal(recoveredAt + Hour, (await _sim.OnlyIncidentAsync()).ResolvedAt);
    }

    [Fact]
    public async Task Failures_of_two_components_in_the_same_minute_join_one_incident()
    {
        await _sim.RunForAsync(TimeSpan.FromMinutes(2), Every, Outcome.Up);
        _clock.Advance(Every);
        await _sim.ReportAsync("mail-smtp", "local", Outcome.Down);
        await _sim.ReportAsync("mail-smtp", "eu-west", Outcome.Down);
        _clock.Advance(Every);
        await _sim.ReportAsync("mail-smtp", "local", Outcome.Down);
        await _sim.ReportAsync("mail-smtp", "eu-west", Outcome.Down);
        await _sim.ReportAsync("web-home", "local", Outcome.Down);
        _clock.Advance(Every);
        await _sim.ReportAsync("web-home", "local", Outcome.Down);

        var incident = await _sim.OnlyIncidentAsync();
        Assert.Equal(["mail", "web"], incident.ComponentIds);
        Assert.Equal(["mail-smtp", "web-home"], incident.MonitorIds);
        Assert.Contains(await _sim.TimelineAsync(incident.Id), e => e.Kind == IncidentEventKind.ComponentsJoined);
    }
}
