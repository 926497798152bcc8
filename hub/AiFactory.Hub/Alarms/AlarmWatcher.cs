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
        using var timer = new PeriodicTimer(Every);
        try
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            do
            {
                await WakeAllAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WakeAllAsync(CancellationToken ct)
    {
        try
        {
            foreach (var rule in await store.EnabledRulesAsync(ct).ConfigureAwait(false))
            {
                await grains.GetGrain<IAlarmGrain>(rule.Id).WakeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !ct.IsCancellationRequested)
        {
            LogFailed(log, ex);
        }
    }

    [LoggerMessage(EventId = 1521, Level = LogLevel.Warning, Message = "Could not wake the alarm rules' grains; trying again in a minute")]
    private static partial void LogFailed(ILogger log, Exception ex);
}
