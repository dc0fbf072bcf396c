namespace Candor.Monitoring.Scheduling;

/// <summary>
/// A hashed timer wheel: entries hang, in linked lists, in the bucket of the tick they are due in, so that queueing,
/// moving and taking a due entry cost the same whether ten or a million are queued, and taking what is due reads only
/// the buckets whose ticks have passed. An entry due further ahead than one turn of the wheel waits in its bucket
/// through the turns before it. Not thread-safe: its owner serialises the calls.
/// </summary>
/// <typeparam name="T">The entries; each is queued at most once at a time, which its links make sure of.</typeparam>
internal sealed class TimerWheel<T>
    where T : TimerWheel<T>.Entry
{
    private readonly long _tickLength;
    private readonly T?[] _buckets;
    private readonly int _mask;

    /// <summary>The first tick whose bucket has not been read to its end: every entry due before it has been taken.</summary>
    private long _cursor;

    /// <param name="tick">The time one bucket covers; entries are taken exactly when due, whatever its length.</param>
    /// <param name="buckets">How many buckets one turn has: a power of two.</param>
    public TimerWheel(DateTimeOffset start, TimeSpan tick, int buckets)
    {
        if (buckets <= 0 || (buckets & (buckets - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "the number of buckets must be a power of two");
        }

        _tickLength = tick.Ticks;
        _buckets = new T?[buckets];
        _mask = buckets - 1;
        _cursor = start.UtcTicks / _tickLength;
    }

    public int Count { get; private set; }

    /// <summary>Queues the entry, or moves it when it is queued already.</summary>
    public void Add(T entry, DateTimeOffset due)
    {
        if (entry.Queued)
        {
            Remove(entry);
        }

        entry.Due = due;

        // An entry due in a tick already read goes where the next read finds it.
        entry.Bucket = (int)(Math.Max(due.UtcTicks / _tickLength, _cursor) & _mask);
        ref var head = ref _buckets[entry.Bucket];
        entry.Next = head;
        entry.Previous = null;
        if (head is not null)
        {
            head.Previous = entry;
        }

        head = entry;
        entry.Queued = true;
        Count++;
    }

    public void Remove(T entry)
    {
        if (!entry.Queued)
        {
            return;
        }

        if (entry.Previous is { } previous)
        {
            previous.Next = entry.Next;
        }
        else
        {
            _buckets[entry.Bucket] = (T?)entry.Next;
        }

        if (entry.Next is { } next)
        {
            next.Previous = entry.Previous;
        }

        entry.Next = entry.Previous = null;
        entry.Queued = false;
        Count--;
    }

    /// <summary>Takes every entry due at or before <paramref name="now"/>, in the order of their ticks.</summary>
    public void TakeDue(DateTimeOffset now, List<T> due)
    {
        var nowTick = now.UtcTicks / _tickLength;
        if (nowTick - _cursor > _buckets.Length)
        {
            // Idle for more than a turn: one pass over every bucket finds all that came due meanwhile.
            for (var tick = _cursor; tick < _cursor + _buckets.Length; tick++)
            {
                Take(tick, nowTick - 1, now, due);
            }

            _cursor = nowTick;
        }

        for (; _cursor < nowTick; _cursor++)
        {
            Take(_cursor, _cursor, now, due);
        }

        // The current tick is not over yet: of its bucket, only what is due by now.
        Take(nowTick, nowTick, now, due);
    }

    /// <summary>
    /// When the first queued entry is due, looking at most one turn ahead: an entry further ahead is found by a
    /// look from then. Null when none is queued.
    /// </summary>
    public DateTimeOffset? NextDue()
    {
        if (Count == 0)
        {
            return null;
        }

        for (var tick = _cursor; tick < _cursor + _buckets.Length; tick++)
        {
            DateTimeOffset? first = null;
            for (var entry = _buckets[tick & _mask]; entry is not null; entry = (T?)entry.Next)
            {
                if (entry.Due.UtcTicks / _tickLength <= tick && (first is null || entry.Due < first))
                {
                    first = entry.Due;
                }
            }

            if (first is not null)
            {
                return first;
            }
        }

        return new DateTimeOffset((_cursor + _buckets.Length) * _tickLength, TimeSpan.Zero);
    }

    /// <summary>Takes, from the bucket of <paramref name="tick"/>, the entries due by both limits.</summary>
    private void Take(long tick, long lastTick, DateTimeOffset now, List<T> due)
    {
        var entry = _buckets[tick & _mask];
        while (entry is not null)
        {
            var next = (T?)entry.Next;
            if (entry.Due.UtcTicks / _tickLength <= lastTick && entry.Due <= now)
            {
                Remove(entry);
                due.Add(entry);
            }

            entry = next;
        }
    }

    /// <summary>What the wheel keeps in each entry: its links, and when it is due.</summary>
    public abstract class Entry
    {
        /// <summary>When it is, or was last, due.</summary>
        public DateTimeOffset Due { get; internal set; }

        /// <summary>Whether it is in the wheel now.</summary>
        public bool Queued { get; internal set; }

        internal int Bucket { get; set; }

        internal Entry? Next { get; set; }

        internal Entry? Previous { get; set; }
    }
}
