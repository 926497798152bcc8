using Orleans.Concurrency;

namespace AiFactory.Hub.Alarms;

/// <summary>One alarm rule, keyed by the rule's id: evaluates it on a timer while it is enabled.</summary>
public interface IAlarmGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain so its timer runs (the watcher asks this of every enabled rule).</summary>
    [OneWay]
    Task WakeAsync();

    /// <summary>Reads the rule again after it changed or was deleted.</summary>
    Task ReloadAsync();

    /// <summary>Evaluates once now; answers whether the rule's alarm is active after it.</summary>
    Task<bool> EvaluateAsync();
}
