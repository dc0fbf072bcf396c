namespace Candor.Storage;

/// <summary>
/// Folds the stored results into the rollups every few seconds, so that the readers of rollups, which fold first
/// whatever is not yet counted, seldom have anything to fold, and each fold is small.
/// </summary>
public sealed class RollupFolder(ICandorStore store, TimeProvider clock, ILogger<RollupFolder> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await store.FoldRollupsAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Nothing is lost: the results stay unfolded until a later fold or a reader counts them.
                    logger.LogError(exception, "Folding results into the rollups failed; trying again in {Wait}", Every);
                }

                await Task.Delay(Every, clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
