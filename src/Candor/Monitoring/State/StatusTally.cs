namespace Candor.Monitoring.State;

/// <summary>How many of a component's monitors report, and how many of those are down or degraded: all its status is derived from.</summary>
public sealed class StatusTally
{
    public int Known { get; private set; }

    public int Down { get; private set; }

    public int Degraded { get; private set; }

    public static StatusTally Of(IEnumerable<MonitorStatus> statuses)
    {
        var tally = new StatusTally();
        foreach (var status in statuses)
        {
            tally.Add(status);
        }

        return tally;
    }

    public void Add(MonitorStatus status) => Count(status, 1);

    public void Remove(MonitorStatus status) => Count(status, -1);

    private void Count(MonitorStatus status, int by)
    {
        if (status == MonitorStatus.Unknown)
        {
            return;
        }

        Known += by;
        Down += status == MonitorStatus.Down ? by : 0;
        Degraded += status == MonitorStatus.Degraded ? by : 0;
    }
}
