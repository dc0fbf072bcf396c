using Candor.Storage;

namespace Candor.Monitoring;

/// <summary>The stored records of the configured monitors (first seen, heartbeat token), as synced at start.</summary>
public sealed class MonitorDirectory(IReadOnlyList<MonitorRecord> records)
{
    private readonly Dictionary<string, MonitorRecord> _records = records.ToDictionary(r => r.MonitorId);

    public string? HeartbeatToken(string monitorId) => _records.GetValueOrDefault(monitorId)?.HeartbeatToken;
}
