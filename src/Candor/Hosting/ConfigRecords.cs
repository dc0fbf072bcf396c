using Candor.Storage;

namespace Candor.Hosting;

/// <summary>
/// What the store keeps about the configured monitors and components (first seen, heartbeat tokens),
/// as synced once at start: the config cannot change while the server runs.
/// </summary>
public sealed class ConfigRecords(IReadOnlyList<MonitorRecord> monitors, IReadOnlyList<ComponentRecord> components)
{
    private readonly Dictionary<string, MonitorRecord> _monitors = monitors.ToDictionary(r => r.MonitorId);
    private readonly Dictionary<string, ComponentRecord> _components = components.ToDictionary(r => r.ComponentId);

    public string? HeartbeatToken(string monitorId) => _monitors.GetValueOrDefault(monitorId)?.HeartbeatToken;

    public DateTimeOffset? ComponentCreatedAt(string componentId) => _components.GetValueOrDefault(componentId)?.CreatedAt;
}
