namespace Candor.Storage;

public static class StoredTime
{
    /// <summary>
    /// Now, to the millisecond: the store keeps milliseconds, so times that will be stored are made that way,
    /// and what a process holds in memory is exactly what it reads back after a restart.
    /// </summary>
    public static DateTimeOffset StoredNow(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond));
    }
}
