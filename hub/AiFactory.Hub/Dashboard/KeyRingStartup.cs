using AiFactory.Hub.Storage;
using Dapper;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// Loads the data-protection key ring once the migrations ran, before anything else uses it, creating its first key if
/// the database has none. On PostgreSQL, silos starting together take turns under an advisory lock, so the first
/// makes the key and the others read it, instead of each making its own and reading the others' only when their ring
/// is next refreshed. A key this hub cannot decrypt (the ring was encrypted with a key-ring certificate this hub lacks)
/// stops it at start: it would otherwise add a key of its own, unprotected, that the other hubs would take up.
/// </summary>
public sealed class KeyRingStartup(HubDatabase database, IDataProtectionProvider dataProtection, IKeyManager keys) : IHostedService
{
    private const long AdvisoryLockKey = 0x41694b65_79526e67; // "AiKeyRng"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var postgres = database.Provider == DatabaseProvider.PostgreSql;
        if (postgres)
        {
            await c.ExecuteAsync("SELECT pg_advisory_lock(@k)", new { k = AdvisoryLockKey }).ConfigureAwait(false);
        }

        try
        {
            foreach (var key in keys.GetAllKeys())
            {
                try
                {
                    _ = key.Descriptor;
                }
                catch (Exception ex) when (ex is CryptographicException or InvalidOperationException or System.Xml.XmlException)
                {
                    throw new InvalidOperationException(
                        $"data-protection key {key.KeyId} in the database cannot be read by this hub ({ex.Message}): every hub on the database needs the same "
                        + $"{DashboardOptions.Section}:KeyRingCertificatePath (and KeyRingKeyPath or KeyRingPassword) that encrypted it.", ex);
                }
            }

            // Protecting anything makes Data Protection read the ring and create its default key when there is none.
            dataProtection.CreateProtector("aifactory-hub.key-ring-startup").Protect([1]);
        }
        finally
        {
            if (postgres)
            {
                await c.ExecuteAsync("SELECT pg_advisory_unlock(@k)", new { k = AdvisoryLockKey }).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
