using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// Once the hub has started, and every minute after, wakes the grain of every enabled rule: a rule's grain lost with a
/// silo comes back within a minute without anybody opening the dashboard.
/// </summary>
public sealed partial class AlarmWatcher(AlarmStore store, IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<AlarmWatcher> log) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                foreach (var rule in await store.EnabledRulesAsync(stoppingToken).ConfigureAwait(false))
                {
                    await grains.GetGrain<IAlarmGrain>(rule.Id).WakeAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(log, ex);
            }
        }
        while (!stoppingToken.IsCancellationRequested && await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 1521, Level = LogLevel.Warning, Message = "Could not wake the alarm rules' grains; trying again in a minute")]
    private static partial void LogFailed(ILogger log, Exception ex);
}
