namespace Candor.StatusPage.Site;

/// <summary>
/// The public pages of the running server, rebuilt whenever the public snapshot is, at most once a
/// <see cref="Spacing"/>, and every <see cref="RebuildEvery"/> besides: time alone moves the charts, the uptime
/// bars and a verification window along. A request reads a reference and renders at most once per build, so a
/// surge of visitors costs no database queries; the pages they read are rendered by the build itself, before the
/// new content is swapped in.
/// </summary>
public sealed class LiveStatusSite(
    LivePublicSnapshot snapshot, StatusSiteBuilder builder, TimeProvider clock, ILogger<LiveStatusSite> logger) : BackgroundService
{
    public static readonly TimeSpan RebuildEvery = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The least time from one build to the next. A change after a quiet spell is shown at once; the changes that
    /// follow it within this time all go into one build after it, so an outage that changes many components in a
    /// second costs two builds, not one per change. Short beside the pages' own max-age.
    /// </summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _changed = new(0, 1);
    private SiteContent? _current;

    internal SiteContent Current => Volatile.Read(ref _current)
        ?? throw new InvalidOperationException("The status site is built when the server starts.");

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _current, new SiteContent(await builder.BuildAsync(snapshot.Current, clock.GetUtcNow(), cancellationToken), logger));
        snapshot.Published += Signal;
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        snapshot.Published -= Signal;
        _changed.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var tick = new CancellationTokenSource(RebuildEvery, clock))
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, tick.Token))
            {
                try
                {
                    await _changed.WaitAsync(either.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The tick: time has moved on.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                var next = new SiteContent(await builder.BuildAsync(snapshot.Current, clock.GetUtcNow(), stoppingToken), logger);
                RenderAhead(next, stoppingToken);
                Volatile.Write(ref _current, next);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The last good pages keep being served; the next change or tick tries again.
                logger.LogError(exception, "Rebuilding the status pages failed");
            }

            try
            {
                await Task.Delay(Spacing, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Here, off the requests' path, rather than on the first request after the swap (see <see cref="SiteContent.RenderAhead"/>).</summary>
    private void RenderAhead(SiteContent next, CancellationToken stoppingToken)
    {
        try
        {
            next.RenderAhead(Current, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Only a head start: the page that failed fails its requests as it would have anyway, and the rest of
            // the site must not stay old for it.
            logger.LogError(exception, "Rendering the status pages ahead failed");
        }
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A rebuild is already due; it will read the newest snapshot.
        }
    }
}
