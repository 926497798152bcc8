using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Alarms;

/// <summary>Checks <see cref="AlarmOptions"/> at start; every problem names its configuration key.</summary>
public sealed class AlarmOptionsValidator : IValidateOptions<AlarmOptions>
{
    public ValidateOptionsResult Validate(string? name, AlarmOptions options)
    {
        var problems = new List<string>();
        if (options.EvaluateInterval < TimeSpan.FromMilliseconds(50) || options.EvaluateInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{AlarmOptions.Section}:EvaluateInterval {options.EvaluateInterval} is outside 00:00:00.05..00:01:00.");
        }

        if (options.WebhookUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            problems.Add($"{AlarmOptions.Section}:WebhookUrl '{url}' is not an absolute http(s) URL.");
        }

        if (options.MqttPort is < 1 or > 65535)
        {
            problems.Add($"{AlarmOptions.Section}:MqttPort {options.MqttPort} is outside 1..65535.");
        }

        if (string.IsNullOrWhiteSpace(options.MqttTopic) || options.MqttTopic.IndexOfAny(['#', '+']) >= 0 || options.MqttTopic.EndsWith('/'))
        {
            problems.Add($"{AlarmOptions.Section}:MqttTopic '{options.MqttTopic}' must be a topic without wildcards or a trailing '/'.");
        }

        if (options.DeliveryAttempts is < 1 or > 1000)
        {
            problems.Add($"{AlarmOptions.Section}:DeliveryAttempts {options.DeliveryAttempts} is outside 1..1000.");
        }

        if (options.DeliveryTimeout < TimeSpan.FromMilliseconds(100) || options.DeliveryTimeout > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{AlarmOptions.Section}:DeliveryTimeout {options.DeliveryTimeout} is outside 00:00:00.1..00:01:00.");
        }

        Between(problems, "RetryDelay", options.RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Between(problems, "MaxRetryDelay", options.MaxRetryDelay, options.RetryDelay, TimeSpan.FromDays(1));
        Between(problems, "PollInterval", options.PollInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(5));
        Between(problems, "KeepNotices", options.KeepNotices, TimeSpan.FromHours(1), TimeSpan.FromDays(3650));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Between(List<string> problems, string key, TimeSpan value, TimeSpan low, TimeSpan high)
    {
        if (value < low || value > high)
        {
            problems.Add($"{AlarmOptions.Section}:{key} {value} is outside {low}..{high}.");
        }
    }
}
