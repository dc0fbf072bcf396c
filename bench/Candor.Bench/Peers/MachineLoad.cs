using System.Globalization;

namespace Candor.Bench.Peers;

/// <summary>
/// The time every core of the machine has spent so far, busy and in all, from the first line of /proc/stat. Two readings
/// say how busy the machine was between them: a figure taken where it was all but saturated measures the machine as
/// much as the program.
/// </summary>
internal readonly record struct MachineLoad(long Busy, long Total)
{
    public static MachineLoad Now()
    {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is counted in user too.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture))
            .ToArray();
        var total = fields.Take(8).Sum();
        return new MachineLoad(total - fields[3] - fields[4], total);
    }

    /// <summary>The share of the machine's time that was busy since <paramref name="before"/>, in percent.</summary>
    public double BusySince(MachineLoad before) =>
        Total > before.Total ? 100.0 * (Busy - before.Busy) / (Total - before.Total) : 0;
}
