using Candor.Incidents;
using Candor.Maintenance;
using Candor.Monitoring;
using Candor.Notifications;

namespace Candor.Storage;

/// <summary>
/// All of Candor's state. Nothing that matters lives only in one process's memory: a restarted server, or a
/// second replica, reads everything back from here.
/// </summary>
public interface ICandorStore : IAsyncDisposable, IMailProbeLedger
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
    /// Writes results and the state changes they caused in one transaction. A result whose id is already stored is
    /// skipped. The rollups count the results later, when the store folds them (<see cref="FoldRollupsAsync"/>);
    /// every read of rollups folds first whatever is not yet counted, so no reader sees a stored result missing.
    /// </summary>
    Task SaveBatchAsync(ResultBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Adds every stored result not yet counted to the minute, hour and day rollups, once: the results are counted and the
    /// mark of how far they are counted moves in one transaction.
    /// </summary>
    Task FoldRollupsAsync(CancellationToken cancellationToken);

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

    /// <summary>
    /// Rollup minutes of every monitor (locations summed) that start in <c>[from, to)</c>, oldest first, by monitor
    /// within a minute: the console's response-time sparklines, all read at once. Streamed, as
    /// the hours are.
    /// </summary>
    IAsyncEnumerable<RollupSpan> ReadMinuteRollupsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// Rollups of five minutes of the given monitors (locations summed) that start in <c>[from, to)</c>, each monitor's
    /// oldest first, the monitors' in no order among them: the last day's chart of a component's page, a fifth of the
    /// rows of the minutes. Only the given monitors' rows are read, not every monitor's in the range.
    /// </summary>
    IAsyncEnumerable<RollupSpan> ReadFiveMinuteRollupsAsync(
        IReadOnlyCollection<string> monitorIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// Rollup hours of every monitor (locations summed) that start in <c>[from, to)</c>, oldest first, by monitor within
    /// an hour. Streamed: 90 days of every monitor are more than is worth holding at once.
    /// </summary>
    IAsyncEnumerable<RollupSpan> ReadHourlyRollupsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Rollup hours of the given monitors, as <see cref="ReadFiveMinuteRollupsAsync"/> gives their five minutes.</summary>
    IAsyncEnumerable<RollupSpan> ReadHourlyRollupsAsync(
        IReadOnlyCollection<string> monitorIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// How far the rollups count the stored results, as a mark that only grows, and the earliest start among the results
    /// they have come to count since <paramref name="countedSince"/>, a mark this returned before: what a reader of
    /// rollups that kept that mark must read again. Without a mark, only the mark. Like every read of rollups, it folds
    /// first whatever is not yet counted.
    /// </summary>
    Task<RollupProgress> GetRollupProgressAsync(long? countedSince, CancellationToken cancellationToken);

    /// <summary>
    /// What an SLA table is built from: for each monitor, its checks, failures and degraded results over all its
    /// locations in the UTC days that start in <c>[from, to)</c>; by monitor.
    /// </summary>
    Task<IReadOnlyList<UptimeTotal>> GetUptimeTotalsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes raw results that started before the cutoff, with their diagnostic bundles, and the minute and
    /// five-minute rollups before it; the hourly and daily rollups are kept, and a result is deleted only once they
    /// count it. Heartbeat pings and mail probes before it go too, except those their monitors are judged by: the
    /// latest ping of each kind, and the latest probe due at the cutoff. Returns the count of results.
    /// </summary>
    Task<int> DeleteResultsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>
    /// Every location state, each with its last result (the latest stored of its monitor and location) when one is
    /// still retained, and the time of that result as its last check.
    /// </summary>
    Task<IReadOnlyList<LocationState>> GetLocationStatesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ComponentState>> GetComponentStatesAsync(CancellationToken cancellationToken);

    /// <summary>Status changes of one component in <c>[from, to)</c>, oldest first.</summary>
    Task<IReadOnlyList<ComponentStatusChange>> GetComponentHistoryAsync(
        string componentId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Status changes of every component in <c>[from, to)</c>, oldest first.</summary>
    Task<IReadOnlyList<ComponentStatusChange>> GetComponentHistoryAsync(
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    Task RecordPingAsync(HeartbeatPing ping, CancellationToken cancellationToken);

    /// <summary>The newest ping of each kind for one monitor.</summary>
    Task<LatestPings> GetLatestPingsAsync(string monitorId, CancellationToken cancellationToken);

    Task<string?> FindMonitorByHeartbeatTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the mail pipeline reported a probe to its heartbeat; the first report counts. The report may
    /// come before the sender has recorded the probe, when the pipeline is faster than the sender's write.
    /// </summary>
    Task RecordMailProbeDeliveryAsync(string monitorId, string token, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Of the probes judged by this heartbeat monitor, the one whose deadline passed last, at or before now.</summary>
    Task<MailProbe?> GetLatestDueMailProbeAsync(string monitorId, DateTimeOffset now, CancellationToken cancellationToken);

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

    /// <summary>
    /// Upserts the incidents and appends the events, in one transaction, with the outbox rows of every event that
    /// delivers notifications (see <see cref="IncidentChanges"/>).
    /// </summary>
    Task SaveIncidentChangesAsync(IncidentChanges changes, CancellationToken cancellationToken);

    Task<IncidentEvent?> GetIncidentEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Adds a subscriber; false (and nothing stored) when its kind and address are already subscribed.</summary>
    Task<bool> AddSubscriberAsync(Subscriber subscriber, CancellationToken cancellationToken);

    /// <summary>
    /// A subscription asked for in public: a new address is stored unconfirmed; an unconfirmed one gets the new
    /// token, expiry, components, contact and signing key; a confirmed one is left alone, and false comes back. A
    /// confirmation message goes into the outbox with the change, except for a confirmed address.
    /// </summary>
    Task<bool> RequestSubscriptionAsync(Subscriber pending, CancellationToken cancellationToken);

    /// <summary>The subscriber whose unexpired confirmation token this is, left unconfirmed; null when there is none.</summary>
    Task<Subscriber?> FindPendingSubscriberAsync(string confirmToken, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Confirms the subscriber whose unexpired confirmation token this is; null when there is none.</summary>
    Task<Subscriber?> ConfirmSubscriberAsync(string confirmToken, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Subscriber?> GetSubscriberAsync(string id, CancellationToken cancellationToken);

    Task<Subscriber?> FindSubscriberByTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Every subscriber, oldest first.</summary>
    Task<IReadOnlyList<Subscriber>> GetSubscribersAsync(CancellationToken cancellationToken);

    /// <summary>The subscribers with these ids that exist, in no particular order: the recipients of a claimed batch.</summary>
    Task<IReadOnlyList<Subscriber>> GetSubscribersAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Removes the subscriber; its delivery history stays, without its address.</summary>
    Task<bool> RemoveSubscriberAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages for this process: pending ones whose time has come, and
    /// ones whose lease ran out in flight (their server died). Each is marked sending, leased until
    /// <paramref name="leaseUntil"/> and counted as one more attempt. Channels come before subscribers.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> ClaimOutboxAsync(int limit, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Records the outcomes of claimed messages, all in one transaction: sent, retried later, dead, cancelled, or
    /// given back untried. A message no longer sending (another server took it over and finished it) is left as it is.
    /// </summary>
    Task FinishOutboxAsync(IReadOnlyList<OutboxOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the lease of a claimed message to <paramref name="leaseUntil"/>, if it is still sending under the lease
    /// <paramref name="heldUntil"/> that this process holds; false when it is not (its lease ran out and another server
    /// took it over, or it was finished), and then this process must not send it.
    /// </summary>
    Task<bool> RenewOutboxLeaseAsync(long id, DateTimeOffset heldUntil, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Outbox rows, newest first, optionally only of one state or one subscriber.</summary>
    Task<IReadOnlyList<OutboxEntry>> GetOutboxAsync(
        OutboxState? state, string? subscriberId, int limit, CancellationToken cancellationToken);

    /// <summary>Makes a dead message pending again with a fresh count of attempts; false when it is not dead.</summary>
    Task<bool> RetryOutboxAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);

    Task SaveApiTokenAsync(ApiToken token, CancellationToken cancellationToken);

    /// <summary>The token with this hash, revoked or not (the caller decides what revoked means).</summary>
    Task<ApiToken?> FindApiTokenAsync(string hash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiToken>> GetApiTokensAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the token with this name; false when there is none not yet revoked.</summary>
    Task<bool> RevokeApiTokenAsync(string name, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Adds a console user; false (and nothing stored) when the name is taken.</summary>
    Task<bool> AddUserAsync(ConsoleUser user, CancellationToken cancellationToken);

    Task<ConsoleUser?> GetUserAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every console user, by name.</summary>
    Task<IReadOnlyList<ConsoleUser>> GetUsersAsync(CancellationToken cancellationToken);

    Task<bool> RemoveUserAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed sign-in, in one statement so that replicas counting at once lose no failure. The failure
    /// that makes <paramref name="limit"/> in a row locks the account until <paramref name="lockUntil"/> and starts
    /// the count again. Returns the user as it now stands; null for a name no user has.
    /// </summary>
    Task<ConsoleUser?> RecordFailedSignInAsync(string name, int limit, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>Records a successful sign-in: the count of failures starts again.</summary>
    Task RecordSignInAsync(string name, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The elements of ASP.NET's data-protection key ring (keys and revocations, as XML), oldest first.</summary>
    Task<IReadOnlyList<string>> GetDataProtectionKeysAsync(CancellationToken cancellationToken);

    /// <summary>Adds an element to the key ring; <paramref name="name"/> is the one ASP.NET gives it, and need not be unique.</summary>
    Task AddDataProtectionKeyAsync(string name, string xml, CancellationToken cancellationToken);

    /// <summary>The outbox rows of one incident's events, oldest first: who was told, and when.</summary>
    Task<IReadOnlyList<OutboxEntry>> GetIncidentDeliveriesAsync(string incidentId, CancellationToken cancellationToken);

    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Every window not yet over, and the <paramref name="recent"/> most recent ones that are, by start.</summary>
    Task<IReadOnlyList<MaintenanceWindow>> GetMaintenanceWindowsAsync(int recent, CancellationToken cancellationToken);

    Task<MaintenanceWindow?> GetMaintenanceWindowAsync(string windowId, CancellationToken cancellationToken);

    Task<MaintenanceEvent?> GetMaintenanceEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>A window's timeline, oldest first.</summary>
    Task<IReadOnlyList<MaintenanceEvent>> GetMaintenanceEventsAsync(string windowId, CancellationToken cancellationToken);

    /// <summary>Upserts the windows and appends the events, in one transaction.</summary>
    Task SaveMaintenanceChangesAsync(MaintenanceChanges changes, CancellationToken cancellationToken);

    /// <summary>The newest audit entries first.</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>Maintenance windows to upsert (whole records) and timeline events to append.</summary>
public sealed record MaintenanceChanges(IReadOnlyList<MaintenanceWindow> Windows, IReadOnlyList<MaintenanceEvent> Events)
{
    public static readonly MaintenanceChanges None = new([], []);

    /// <summary>The responders' channels told of the non-public events (failures inside a window).</summary>
    public IReadOnlyList<string> ResponderChannels { get; init; } = [];

    public bool IsEmpty => Windows.Count == 0 && Events.Count == 0;
}

public sealed record ComponentRecord(string ComponentId, DateTimeOffset CreatedAt);

/// <summary>
/// Incidents to upsert (whole records) and timeline events to append. Each event that delivers notifications
/// puts one outbox row per responder channel, and one per confirmed subscriber of its incident's components when
/// it is for subscribers, into the same transaction.
/// </summary>
public sealed record IncidentChanges(IReadOnlyList<Incident> Incidents, IReadOnlyList<IncidentEvent> Events)
{
    public static readonly IncidentChanges None = new([], []);

    /// <summary>The ids of the responders' channels of the config.</summary>
    public IReadOnlyList<string> ResponderChannels { get; init; } = [];

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

/// <summary>A person who signs in to the admin console, with the same roles as API tokens.</summary>
/// <param name="PasswordHash">The password as the hasher wrote it; the password itself is never stored.</param>
public sealed record ConsoleUser(string Name, ApiRole Role, string PasswordHash, DateTimeOffset CreatedAt)
{
    /// <summary>Failed sign-ins since the last success or lock-out.</summary>
    public int FailedSignIns { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    public DateTimeOffset? LastSignInAt { get; init; }

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil > now;
}

/// <summary>Who did what through the API or the console.</summary>
/// <param name="Actor">
/// An API token's name; <c>user:</c> and a console user's name; or <c>anonymous</c> for a request that was
/// neither (a refused one, or a sign-in with a name no account has).
/// </param>
/// <param name="Route">The route pattern, such as <c>/admin/incidents/{id}/updates</c>, or the path when none matched.</param>
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

    /// <summary>What the maintenance guard decided on these results, stored in the same transaction.</summary>
    public MaintenanceChanges Maintenance { get; init; } = MaintenanceChanges.None;
}

/// <summary>One span of one monitor (a minute, five minutes, a UTC hour), its locations summed.</summary>
public sealed record RollupSpan(
    string MonitorId,
    DateTimeOffset Start,
    int Count,
    int Failures,
    int Degraded,
    double LatencySumMs,
    double LatencyMaxMs);

/// <summary>
/// How far the rollups count the stored results (<see cref="ICandorStore.GetRollupProgressAsync"/>), and the earliest
/// start among the results counted since the mark asked about; null when there are none, or no mark was asked about.
/// </summary>
public sealed record RollupProgress(long Counted, DateTimeOffset? EarliestSince);

/// <summary>One monitor's results over a span of days, over all its locations.</summary>
public sealed record UptimeTotal(string MonitorId, long Checks, long Failures, long Degraded);

public enum PingKind
{
    Success,
    Fail,
    Start,
}

public sealed record HeartbeatPing(string MonitorId, PingKind Kind, DateTimeOffset ReceivedAt, string? Source);

/// <summary>A probe message an smtp monitor sent through a mail pipeline.</summary>
/// <param name="MonitorId">The heartbeat monitor that judges whether the probe arrived.</param>
/// <param name="DueAt">When the pipeline must have reported the probe by.</param>
/// <param name="DeliveredAt">When the pipeline reported it, if it has.</param>
/// <summary>Where an smtp check writes down the probes it sent, for the heartbeat to judge their round trip.</summary>
public interface IMailProbeLedger
{
    /// <summary>Records a probe message that the mail server accepted; its delivery may already be recorded.</summary>
    Task RecordMailProbeAsync(MailProbe probe, CancellationToken cancellationToken);
}

public sealed record MailProbe(
    string MonitorId, string Token, DateTimeOffset SentAt, DateTimeOffset DueAt, DateTimeOffset? DeliveredAt = null)
{
    public TimeSpan Deadline => DueAt - SentAt;
}

public sealed record LatestPings(DateTimeOffset? Success, DateTimeOffset? Fail, DateTimeOffset? Start);
