using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Candor.Storage;

namespace Candor.Tests.Fixtures;

/// <summary>
/// A real store whose hourly rollups, once <see cref="Hold"/> is called, are given only after <see cref="Release"/>:
/// what a slow store under load looks like to whoever reads them. Everything else goes straight to the store.
/// </summary>
public class HeldRollupsStore : DispatchProxy
{
    private ICandorStore _store = null!;
    private TaskCompletionSource _released = Released();
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _hourlyReads;

    /// <summary>Completes when a read of hourly rollups is waiting for <see cref="Release"/>.</summary>
    public Task Reached => _reached.Task;

    /// <summary>How many reads of hourly rollups have been asked for, held or not.</summary>
    public int HourlyReads => Volatile.Read(ref _hourlyReads);

    public static (ICandorStore Store, HeldRollupsStore Holder) Around(ICandorStore store)
    {
        var proxy = Create<ICandorStore, HeldRollupsStore>();
        var holder = (HeldRollupsStore)(object)proxy;
        holder._store = store;
        return (proxy, holder);
    }

    public void Hold()
    {
        _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => _released.TrySetResult();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        try
        {
            var result = targetMethod.Invoke(_store, args);
            if (targetMethod.Name != nameof(ICandorStore.ReadHourlyRollupsAsync))
            {
                return result;
            }

            Interlocked.Increment(ref _hourlyReads);
            return AfterReleaseAsync((IAsyncEnumerable<RollupSpan>)result!, _reached, _released.Task, (CancellationToken)args![^1]!);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }

    private static async IAsyncEnumerable<RollupSpan> AfterReleaseAsync(
        IAsyncEnumerable<RollupSpan> spans, TaskCompletionSource reached, Task released, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        reached.TrySetResult();
        await released.WaitAsync(cancellationToken);
        await foreach (var span in spans)
        {
            yield return span;
        }
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource();
        released.SetResult();
        return released;
    }
}
