namespace AiFactory.Hub.Dashboard;

/// <summary>Runs a page's periodic re-read (alarms, backlog, data quality) until the page goes away.</summary>
public static class PageTicker
{
    public static async Task RunAsync(TimeSpan period, Func<Task> tick, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await tick().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
