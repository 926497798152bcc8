using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>Checks <see cref="LiveOptions"/> at start; every problem names its configuration key.</summary>
public sealed class LiveOptionsValidator : IValidateOptions<LiveOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveOptions options)
    {
        var problems = new List<string>();
        if (options.PushInterval < TimeSpan.FromMilliseconds(1) || options.PushInterval > TimeSpan.FromSeconds(10))
        {
            problems.Add($"{LiveOptions.Section}:PushInterval {options.PushInterval} is outside 00:00:00.001..00:00:10.");
        }

        if (options.ViewInterval < TimeSpan.Zero || options.ViewInterval > TimeSpan.FromSeconds(10))
        {
            problems.Add($"{LiveOptions.Section}:ViewInterval {options.ViewInterval} is outside 00:00:00..00:00:10.");
        }

        if (options.SnapshotRefresh < options.PushInterval || options.SnapshotRefresh > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{LiveOptions.Section}:SnapshotRefresh {options.SnapshotRefresh} is outside PushInterval..00:01:00.");
        }

        if (options.ObserverLease < TimeSpan.FromSeconds(1) || options.ObserverLease > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{LiveOptions.Section}:ObserverLease {options.ObserverLease} is outside 00:00:01..00:10:00.");
        }

        if (options.EventsKept is < 1 or > 1000)
        {
            problems.Add($"{LiveOptions.Section}:EventsKept {options.EventsKept} is outside 1..1000.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
