using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Alliance;

/// <summary>Rolls the last <see cref="AllianceOptions.RollupDays"/> days up every <see cref="AllianceOptions.RollupInterval"/>.</summary>
public sealed partial class LineDayRollupService(LineDayRollup rollup, IOptions<AllianceOptions> options, TimeProvider time, ILogger<LineDayRollupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.RollupInterval == TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(o.RollupInterval, time);
        do
        {
            var now = time.GetUtcNow();
            try
            {
                var rows = await rollup.RollAsync(now.AddDays(1 - o.RollupDays), now.AddDays(1), stoppingToken).ConfigureAwait(false);
                LogRolled(rows, o.RollupDays);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 2400, Level = LogLevel.Debug, Message = "Alliance roll-up wrote {Rows} line-day rows over the last {Days} days")]
    private partial void LogRolled(int rows, int days);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Alliance roll-up failed; it runs again at the next interval")]
    private partial void LogFailed(Exception ex);
}
