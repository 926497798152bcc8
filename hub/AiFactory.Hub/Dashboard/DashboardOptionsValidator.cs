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

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
