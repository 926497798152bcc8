using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub;

/// <summary>Checks <see cref="HubOptions"/> at start; every problem names its configuration key.</summary>
public sealed class HubOptionsValidator : IValidateOptions<HubOptions>
{
    public ValidateOptionsResult Validate(string? name, HubOptions options)
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(options.Database.Provider))
        {
            problems.Add($"Hub:Database:Provider '{options.Database.Provider}' is not Sqlite or PostgreSql.");
        }

        if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            problems.Add("Hub:Database:ConnectionString is empty.");
        }
        else if (options.Database.Provider == DatabaseProvider.PostgreSql && !options.Database.ConnectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("Hub:Database:ConnectionString has no Host= for PostgreSql (e.g. 'Host=127.0.0.1;Port=5432;Database=hub;Username=hub;Password=…').");
        }

        if (options.Ingest.MaxRequestBytes is < 1024 or > 256L * 1024 * 1024)
        {
            problems.Add($"Hub:Ingest:MaxRequestBytes {options.Ingest.MaxRequestBytes} is outside 1 KiB..256 MiB.");
        }

        if (options.Ingest.MaxInflatedBytes < options.Ingest.MaxRequestBytes)
        {
            problems.Add($"Hub:Ingest:MaxInflatedBytes {options.Ingest.MaxInflatedBytes} is below MaxRequestBytes {options.Ingest.MaxRequestBytes}.");
        }

        if (options.Ingest.MaxRecords is < 1 or > 100_000)
        {
            problems.Add($"Hub:Ingest:MaxRecords {options.Ingest.MaxRecords} is outside 1..100000.");
        }

        if (options.EdgeOfflineAfter <= TimeSpan.Zero)
        {
            problems.Add($"Hub:EdgeOfflineAfter {options.EdgeOfflineAfter} must be positive.");
        }

        if (options.BootstrapAdminKey is { } key && !ApiKey.TryParse(key, out _, out _))
        {
            problems.Add("Hub:BootstrapAdminKey is not an AiFactory key ('aif_<id>_<secret>').");
        }

        problems.AddRange(options.Influx.Problems());
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
