using Candor.Incidents;
using Candor.Monitoring;

namespace Candor.Storage;

/// <summary>
/// All of Candor's state. Nothing that matters lives only in one process's memory: a restarted server, or a
/// second replica, reads everything back from here.
/// </summary>
public interface ICandorStore : IAsyncDisposable
{
    /// <summary>Applies the versioned migrations not yet applied; safe to call from several processes at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records the monitors of the config: first-seen time for new ones (a heartbeat that never pinged is
    /// late from then) and their heartbeat token. A token given in the config replaces the stored one;
    /// otherwise the stored one is kept, or <see cref="MonitorRegistration.NewToken"/> is stored for a new one.
    /// </summary>
    Task<IReadOnlyList<MonitorRecord>> SyncMonitorsAsync(
        IReadOnlyList<MonitorRegistration> monitors, DateTimeOffset now, CancellationToken cancellationToken);

    Task<MonitorRecord?> GetMonitorAsync(string monitorId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes results, the per-minute rollups they add to, and the state changes they caused, in one
    /// transaction. A result whose id is already stored is skipped and adds nothing to the rollups.
    /// </summary>
    Task SaveBatchAsync(ResultBatch batch, CancellationToken cancellationToken);

    /// <summary>Results of one monitor (all locations) with <c>from &lt;= started_at &lt; to</c>, newest first.</summary>
    Task<IReadOnlyList<CheckResult>> GetResultsAsync(
        string monitorId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    Task<CheckResult?> GetResultAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the diagnostic bundle (JSON text) collected for a result, replacing any stored before. It is written
    /// apart from the result's batch, after it, so that collecting it never holds up the result pipeline.
    /// </summary>
    Task SaveDiagnosticsAsync(Guid resultId, string json, CancellationToken cancellationToken);

    /// <summary>The diagnostic bundle of a result, or null when none was collected.</summary>
    Task<string?> GetDiagnosticsAsync(Guid resultId, CancellationToken cancellationToken);

    /// <summary>Rollup minutes of one monitor (all locations) in <c>[from, to)</c>, oldest first.</summary>
    Task<IReadOnlyList<RollupMinute>> GetRollupsAsync(
        string monitorId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes raw results that started before the cutoff, with their diagnostic bundles; rollups are kept.
    /// Returns the count of results.
    /// </summary>
    Task<int> DeleteResultsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>Every location state, each with its last result when that result is still retained.</summary>
    Task<IReadOnlyList<LocationState>> GetLocationStatesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ComponentState>> GetComponentStatesAsync(CancellationToken cancellationToken);

    /// <summary>Status changes of one component in <c>[from, to)</c>, oldest first.</summary>
    Task<IReadOnlyList<ComponentStatusChange>> GetComponentHistoryAsync(
        string componentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    Task RecordPingAsync(HeartbeatPing ping, CancellationToken cancellationToken);

    /// <summary>The newest ping of each kind for one monitor.</summary>
    Task<LatestPings> GetLatestPingsAsync(string monitorId, CancellationToken cancellationToken);

    Task<string?> FindMonitorByHeartbeatTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Records the configured components, keeping the first-seen time of known ones (Statuspage's created_at).</summary>
    Task<IReadOnlyList<ComponentRecord>> SyncComponentsAsync(
        IReadOnlyList<string> componentIds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Open incidents (investigating, identified, monitoring), newest first.</summary>
    Task<IReadOnlyList<Incident>> GetOpenIncidentsAsync(CancellationToken cancellationToken);

    /// <summary>The most recent incidents of any status, newest first by creation.</summary>
    Task<IReadOnlyList<Incident>> GetRecentIncidentsAsync(int limit, CancellationToken cancellationToken);

    Task<Incident?> GetIncidentAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>An incident's timeline, oldest first.</summary>
    Task<IReadOnlyList<IncidentEvent>> GetIncidentEventsAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>Upserts the incidents and appends the events, in one transaction.</summary>
    Task SaveIncidentChangesAsync(IncidentChanges changes, CancellationToken cancellationToken);

    Task SaveApiTokenAsync(ApiToken token, CancellationToken cancellationToken);

    /// <summary>The token with this hash, revoked or not (the caller decides what revoked means).</summary>
    Task<ApiToken?> FindApiTokenAsync(string hash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiToken>> GetApiTokensAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the token with this name; false when there is none not yet revoked.</summary>
    Task<bool> RevokeApiTokenAsync(string name, DateTimeOffset at, CancellationToken cancellationToken);

    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest audit entries first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(int limit, CancellationToken cancellationToken);
}

public sealed record ComponentRecord(string ComponentId, DateTimeOffset CreatedAt);

/// <summary>Incidents to upsert (whole records) and timeline events to append.</summary>
public sealed record IncidentChanges(IReadOnlyList<Incident> Incidents, IReadOnlyList<IncidentEvent> Events)
{
    public static readonly IncidentChanges None = new([], []);

    public bool IsEmpty => Incidents.Count == 0 && Events.Count == 0;
}

public enum ApiRole
{
    Viewer,
    Responder,
    Admin,
}

/// <summary>An admin API token. Only a SHA-256 hash of the secret is stored; the secret is shown once.</summary>
public sealed record ApiToken(string Id, string Name, ApiRole Role, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Who did what through the API.</summary>
public sealed record AuditEntry(
    DateTimeOffset At, string Actor, string Method, string Route, int StatusCode, string? IncidentId);

/// <param name="ConfiguredToken">The `token:` of a heartbeat monitor's config, if any.</param>
/// <param name="NewToken">The token to store when a heartbeat monitor has none yet; null for other types.</param>
public sealed record MonitorRegistration(string MonitorId, string Type, string? ConfiguredToken, string? NewToken);

public sealed record MonitorRecord(string MonitorId, string Type, DateTimeOffset FirstSeenAt, string? HeartbeatToken);

/// <summary>
/// What one write of the result pipeline carries. Each component change sets the component's current
/// state (status <see cref="ComponentStatusChange.To"/> since <see cref="ComponentStatusChange.At"/>) and is
/// appended to the component's history.
/// </summary>
public sealed record ResultBatch(
    IReadOnlyList<CheckResult> Results,
    IReadOnlyList<LocationState> LocationStates,
    IReadOnlyList<ComponentStatusChange> ComponentChanges)
{
    /// <summary>What the incident engine decided on these results, stored in the same transaction.</summary>
    public IncidentChanges Incidents { get; init; } = IncidentChanges.None;
}

/// <summary>One minute of one monitor at one location, kept beside the raw results for charts and SLA maths.</summary>
public sealed record RollupMinute(
    string MonitorId,
    string LocationId,
    DateTimeOffset Minute,
    int Count,
    int Failures,
    int Degraded,
    double LatencySumMs,
    double LatencyMaxMs);

public enum PingKind
{
    Success,
    Fail,
    Start,
}

public sealed record HeartbeatPing(string MonitorId, PingKind Kind, DateTimeOffset ReceivedAt, string? Source);

public sealed record LatestPings(DateTimeOffset? Success, DateTimeOffset? Fail, DateTimeOffset? Start);
