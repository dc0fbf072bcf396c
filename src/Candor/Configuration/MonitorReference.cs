namespace Candor.Configuration;

/// <summary>
/// A settings record that names other monitors of the same config, such as the heartbeat an smtp monitor reports
/// its probes to. The validator checks that each one exists and has the type it must have.
/// </summary>
public interface IMonitorReferences
{
    IEnumerable<MonitorReference> References { get; }
}

/// <param name="Key">The snake_case key of the record that names the monitor.</param>
/// <param name="MonitorId">The id it names.</param>
/// <param name="Type">The type that monitor must have.</param>
public sealed record MonitorReference(string Key, string MonitorId, string Type);
