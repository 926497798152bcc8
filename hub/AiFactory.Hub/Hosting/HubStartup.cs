using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Hosting;

/// <summary>Before the server listens: apply migrations and register the bootstrap admin key.</summary>
public sealed partial class HubStartup(HubDatabase database, Migrator migrator, TenancyStore tenancy, IOptions<HubOptions> options, ILogger<HubStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await migrator.ApplyAsync(cancellationToken).ConfigureAwait(false);
        LogReady(database.Describe(), Migrator.LatestVersion, applied);
        if (options.Value.BootstrapAdminKey is { } key && await tenancy.EnsureBootstrapAdminAsync(key, cancellationToken).ConfigureAwait(false))
        {
            LogBootstrap();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} at schema version {Version} ({Applied} migration(s) applied now)")]
    private partial void LogReady(string database, int version, int applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered the bootstrap hub-admin key from configuration")]
    private partial void LogBootstrap();
}
