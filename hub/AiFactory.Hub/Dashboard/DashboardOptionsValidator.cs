using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Dashboard;

/// <summary>Checks <see cref="DashboardOptions"/> at start; every problem names its configuration key.</summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var problems = new List<string>();
        if (options.SessionLifetime < TimeSpan.FromMinutes(1) || options.SessionLifetime > TimeSpan.FromDays(30))
        {
            problems.Add($"{DashboardOptions.Section}:SessionLifetime {options.SessionLifetime} is outside 00:01:00..30.00:00:00.");
        }

        if (options.DetailsRefresh < TimeSpan.FromMilliseconds(100) || options.DetailsRefresh > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{DashboardOptions.Section}:DetailsRefresh {options.DetailsRefresh} is outside 00:00:00.1..00:10:00.");
        }

        if (options.RenderInterval < TimeSpan.Zero || options.RenderInterval > TimeSpan.FromSeconds(1.5))
        {
            problems.Add($"{DashboardOptions.Section}:RenderInterval {options.RenderInterval} is outside 00:00:00..00:00:01.5 (tiles must change within 2 s of an uplink).");
        }

        if (!DashboardTime.TryFind(options.TimeZone, out _))
        {
            problems.Add($"{DashboardOptions.Section}:TimeZone '{options.TimeZone}' is not a time zone this machine knows (an IANA id such as Asia/Seoul).");
        }

        foreach (var (key, path) in new[] { ("KeyRingCertificatePath", options.KeyRingCertificatePath), ("KeyRingKeyPath", options.KeyRingKeyPath) })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
            {
                problems.Add($"{DashboardOptions.Section}:{key} '{path}' does not exist.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.KeyRingCertificatePath) && !string.IsNullOrWhiteSpace(options.KeyRingKeyPath))
        {
            problems.Add($"{DashboardOptions.Section}:KeyRingKeyPath is set without {DashboardOptions.Section}:KeyRingCertificatePath.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
