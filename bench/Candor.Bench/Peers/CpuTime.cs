using System.Globalization;

namespace Candor.Bench.Peers;

/// <summary>
/// CPU time that processes have used, as the kernel accounts it in /proc: the time in their own code (user) apart
/// from the time the kernel spent on their behalf, in system calls such as the sends of a server.
/// </summary>
internal readonly record struct CpuTime(TimeSpan User, TimeSpan Kernel)
{
    /// <summary>/proc counts in clock ticks of 1/100 s on Linux (USER_HZ), whatever the hardware's timer.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>What the processes have used so far, summed; a process that has gone counts nothing.</summary>
    public static CpuTime Of(IEnumerable<int> pids)
    {
        double user = 0, kernel = 0;
        foreach (var pid in pids)
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                continue;
            }

            // The name in parentheses may hold spaces: the fields are counted after its closing one, from the state
            // (field 3); utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            user += double.Parse(fields[11], CultureInfo.InvariantCulture);
            kernel += double.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return new CpuTime(TimeSpan.FromSeconds(user / TicksPerSecond), TimeSpan.FromSeconds(kernel / TicksPerSecond));
    }

    /// <summary>What this process has used so far: the suite's own loads and servers run in it.</summary>
    public static CpuTime OfThisProcess() => Of([Environment.ProcessId]);

    /// <summary>
    /// The process and all it started, such as nginx's master and its workers, or the runuser that started PostgreSQL's
    /// postmaster and the postmaster's backends.
    /// </summary>
    public static IEnumerable<int> WithDescendants(int pid)
    {
        yield return pid;
        var children = $"/proc/{pid}/task/{pid}/children";
        if (!File.Exists(children))
        {
            yield break;
        }

        string listed;
        try
        {
            listed = File.ReadAllText(children);
        }
        catch (IOException)
        {
            yield break;
        }

        foreach (var child in listed.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var descendant in WithDescendants(int.Parse(child, CultureInfo.InvariantCulture)))
            {
                yield return descendant;
            }
        }
    }

    public static CpuTime operator +(CpuTime one, CpuTime other) => new(one.User + other.User, one.Kernel + other.Kernel);

    public static CpuTime operator -(CpuTime after, CpuTime before) => new(after.User - before.User, after.Kernel - before.Kernel);

    /// <summary>In microseconds a request, user + kernel.</summary>
    public string PerRequest(long requests) => requests <= 0
        ? "no request"
        : string.Create(CultureInfo.InvariantCulture, $"{User.TotalMicroseconds / requests:0.0} + {Kernel.TotalMicroseconds / requests:0.0} µs");
}
