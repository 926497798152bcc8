using AiFactory.Hub.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiFactory.Hub.Hosting;

/// <summary>Ready when the database answers and carries the latest schema.</summary>
public sealed class DatabaseHealthCheck(HubDatabase database, Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var version = await migrator.CurrentVersionAsync(cancellationToken).ConfigureAwait(false);
            return version == Migrator.LatestVersion
                ? HealthCheckResult.Healthy($"{database.Describe()} at schema {version}")
                : HealthCheckResult.Unhealthy($"{database.Describe()} is at schema {version}, expected {Migrator.LatestVersion}");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"{database.Describe()} does not answer: {ex.Message}");
        }
    }
}
