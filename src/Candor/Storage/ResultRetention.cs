using Candor.Configuration;

namespace Candor.Storage;

/// <summary>
/// Deletes raw results past `retention.results` once an hour, with the minute and five-minute rollups and the pings
/// and mail probes no monitor is judged by any more (<see cref="ICandorStore.DeleteResultsBeforeAsync"/>); the hourly
/// and daily rollups stay for good.
/// </summary>
public sealed class ResultRetention(
    ICandorStore store, CandorConfig config, TimeProvider clock, ILogger<ResultRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var deleted = await store
                        .DeleteResultsBeforeAsync(clock.GetUtcNow() - config.Retention.Results, stoppingToken)
                        .ConfigureAwait(false);
                    if (deleted > 0)
                    {
                        logger.LogInformation("Deleted {Count} results older than {Retention}", deleted, config.Retention.Results);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogError(exception, "Deleting old results failed; trying again in an hour");
                }

                await Task.Delay(TimeSpan.FromHours(1), clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
