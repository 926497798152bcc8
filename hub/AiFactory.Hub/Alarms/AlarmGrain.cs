using AiFactory.Hub.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// A rule's evaluation: its timer reads the watched value from the live grains (or SQL) every
/// <c>Hub:Alarms:EvaluateInterval</c>, steps the rule's <see cref="AlarmCondition"/>, and on a raise or clear writes the
/// alarm to SQL with its notices (the outbox, in the same transaction). The open alarm is read back on activation, so a grain rebuilt on
/// another silo neither raises it again nor forgets to clear it.
/// </summary>
public sealed partial class AlarmGrain(
    AlarmStore store,
    AlarmProbe probe,
    IOptions<AlarmOptions> options,
    [FromKeyedServices(LiveOptions.ClockKey)] TimeProvider time,
    ILogger<AlarmGrain> log) : Grain, IAlarmGrain
{
    private AlarmCondition? _condition;
    private IGrainTimer? _timer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ActivationLock.LeaveAsync();
        await LoadAsync(cancellationToken);
    }

    public Task WakeAsync() => Task.CompletedTask;

    public async Task ReloadAsync()
    {
        await LoadAsync(CancellationToken.None);
        if (_condition is null)
        {
            // Deleted or disabled: an alarm it left open clears now, so nothing stays active without a rule behind it.
            await store.ClearAsync(this.GetPrimaryKeyString(), null, CancellationToken.None);

            DeactivateOnIdle();
        }
    }

    public async Task<bool> EvaluateAsync()
    {
        await TickAsync();
        return _condition?.Active ?? false;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rule = await store.RuleAsync(this.GetPrimaryKeyString(), ct);
        if (rule is not { Enabled: true })
        {
            _condition = null;
            _timer?.Dispose();
            _timer = null;
            return;
        }

        var open = await store.OpenAsync(rule.Id, ct);
        _condition = new AlarmCondition(rule, open is not null);
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(options.Value.EvaluateInterval, options.Value.EvaluateInterval) { KeepAlive = true });
    }

    private async Task TickAsync()
    {
        if (_condition is not { } condition)
        {
            return;
        }

        var rule = condition.Rule;
        try
        {
            var value = await probe.ReadAsync(rule, CancellationToken.None);
            switch (condition.Step(value, time.GetUtcNow()))
            {
                case AlarmTransition.Raise:
                    var (_, raised) = await store.RaiseAsync(rule, value!.Value, CancellationToken.None);
                    if (raised)
                    {
                        LogRaised(log, rule.Id, AlarmKinds.Name(rule.Kind), rule.Scope.Describe(), value.Value, rule.Threshold);
                    }

                    break;
                case AlarmTransition.Clear:
                    if (await store.ClearAsync(rule.Id, value, CancellationToken.None) is not null)
                    {
                        LogCleared(log, rule.Id, rule.Scope.Describe(), value!.Value);
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFailed(log, ex, rule.Id);
        }
    }

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "Alarm rule {Rule} raised: {Kind} of {Scope} is {Value} against {Threshold}")]
    private static partial void LogRaised(ILogger log, string rule, string kind, string scope, double value, double threshold);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Information, Message = "Alarm rule {Rule} cleared: {Scope} is at {Value}")]
    private static partial void LogCleared(ILogger log, string rule, string scope, double value);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Warning, Message = "Alarm rule {Rule} could not be evaluated; it tries again at its next tick")]
    private static partial void LogFailed(ILogger log, Exception ex, string rule);
}
