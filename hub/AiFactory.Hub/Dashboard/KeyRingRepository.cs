using System.Xml.Linq;
using AiFactory.Hub.Storage;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// ASP.NET Core Data Protection's key ring in the hub's database (<c>data_protection_keys</c>), so every hub and silo on
/// one database protects and reads cookies and antiforgery tokens with the same keys. Each key is one XML element,
/// encrypted with the key-ring certificate when one is configured (<see cref="KeyRingCertificate"/>).
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous: Data Protection reads the ring at start and when it refreshes it (about
/// once a day, or when a key is missing), and writes a key every 90 days. Those rare calls wait on the async database
/// calls here; no request path waits on them otherwise.
/// </remarks>
public sealed class KeyRingRepository(HubDatabase database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => ReadAsync().GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => StoreAsync(element, friendlyName).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> ReadAsync()
    {
        await using var c = await database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        var rows = await c.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_utc, name").ConfigureAwait(false);
        return rows.Select(XElement.Parse).ToList();
    }

    private async Task StoreAsync(XElement element, string friendlyName)
    {
        var name = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        await using var c = await database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await c.ExecuteAsync(
            "INSERT INTO data_protection_keys (name, xml, created_utc) VALUES (@name, @xml, @t)",
            new { name, xml = element.ToString(SaveOptions.DisableFormatting), t = time.GetUtcNow().ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }
}
