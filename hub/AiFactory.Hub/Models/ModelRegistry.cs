using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Models;

/// <summary>
/// The <c>model_packages</c> and <c>model_files</c> tables: immutable, content-addressed packages per company. A package
/// pushed again unchanged is the same package; another package under a name and version already taken is refused.
/// </summary>
public sealed class ModelRegistry(HubDatabase database, TimeProvider time)
{
    private const string Columns = "package_id, name, version, task, key_id, signature, manifest, size_bytes, created_utc, created_by";

    private const string Selected =
        "package_id AS PackageId, name AS Name, version AS Version, task AS Task, key_id AS KeyId, signature AS Signature, manifest AS Manifest, " +
        "size_bytes AS SizeBytes, created_utc AS CreatedUtc, created_by AS CreatedBy, latency_p99_ms AS LatencyP99Ms";

    /// <summary>Stores a validated package with its files in one transaction; answers it and whether it is new. Audited.</summary>
    public async Task<(PackageInfo Package, bool Created)> AddAsync(AuditActor actor, string company, ValidatedPackage package, CancellationToken ct)
    {
        if (await FindAsync(company, package.PackageId, ct).ConfigureAwait(false) is { } existing)
        {
            return (existing, false);
        }

        var now = time.GetUtcNow();
        var ms = now.ToUnixTimeMilliseconds();
        await database.WriteAsync(
            async (c, tx) =>
            {
                var taken = await c.ExecuteScalarAsync<string?>(
                    "SELECT package_id FROM model_packages WHERE company_id = @company AND name = @name AND version = @version",
                    new { company, name = package.Name, version = package.Version }, tx).ConfigureAwait(false);
                if (taken is not null)
                {
                    throw HubProblemException.Conflict(
                        $"model '{package.Name}' version '{package.Version}' is already registered as package {taken} with other content; versions are immutable: give the card a new version.");
                }

                await c.ExecuteAsync(
                    $"INSERT INTO model_packages (company_id, {Columns}, card, latency_p99_ms) VALUES (@company, @id, @name, @version, @task, @keyId, @signature, @manifest, @size, @t, @by, @card, @latency)",
                    new
                    {
                        company, id = package.PackageId, name = package.Name, version = package.Version, task = package.Task, keyId = package.KeyId,
                        signature = package.Signature, manifest = package.Manifest, size = package.SizeBytes, t = ms, by = actor.Who, card = package.Card, latency = package.LatencyP99Ms,
                    },
                    tx).ConfigureAwait(false);
                foreach (var (file, content) in package.Files)
                {
                    await c.ExecuteAsync(
                        "INSERT INTO model_files (company_id, package_id, file_name, sha256, content) VALUES (@company, @id, @file, @sha, @content)",
                        new { company, id = package.PackageId, file, sha = AiFactory.Contracts.ModelManifest.Hex(System.Security.Cryptography.SHA256.HashData(content)), content },
                        tx).ConfigureAwait(false);
                }

                await AuditLog.WriteAsync(c, tx, ms, actor, "model.push", company, $"{company}/models/{package.Name}/{package.Version}", null,
                    new { package.PackageId, package.Name, package.Version, package.KeyId }).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
        return (new PackageInfo(package.PackageId, package.Name, package.Version, package.Task, package.KeyId, package.Signature, package.Manifest, package.SizeBytes, now, actor.Who, package.LatencyP99Ms), true);
    }

    /// <summary>The company's packages, newest first; of one model when <paramref name="name"/> is given.</summary>
    public async Task<IReadOnlyList<PackageInfo>> ListAsync(string company, string? name, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<Row>(
            $"SELECT {Selected} FROM model_packages WHERE company_id = @company AND (@name IS NULL OR name = @name) ORDER BY created_utc DESC, name, version",
            new { company, name }).ConfigureAwait(false);
        return rows.Select(r => r.ToInfo()).ToList();
    }

    /// <summary>The company's package with that id; null when it has none (another company's id included).</summary>
    public async Task<PackageInfo?> FindAsync(string company, string packageId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Selected} FROM model_packages WHERE company_id = @company AND package_id = @packageId", new { company, packageId }).ConfigureAwait(false);
        return row?.ToInfo();
    }

    /// <summary>The company's package of that model and version; null when it has none.</summary>
    public async Task<PackageInfo?> FindVersionAsync(string company, string name, string version, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Selected} FROM model_packages WHERE company_id = @company AND name = @name AND version = @version", new { company, name, version }).ConfigureAwait(false);
        return row?.ToInfo();
    }

    /// <summary>One file of the company's package; null when there is no such package or file.</summary>
    public async Task<byte[]?> FileAsync(string company, string packageId, string file, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<byte[]?>(
            "SELECT content FROM model_files WHERE company_id = @company AND package_id = @packageId AND file_name = @file",
            new { company, packageId, file }).ConfigureAwait(false);
    }

    private sealed record Row(string PackageId, string Name, string Version, string Task, string KeyId, string Signature, string Manifest, long SizeBytes, long CreatedUtc, string CreatedBy, double? LatencyP99Ms)
    {
        public PackageInfo ToInfo() =>
            new(PackageId, Name, Version, Task, KeyId, Signature, Manifest, SizeBytes, DateTimeOffset.FromUnixTimeMilliseconds(CreatedUtc), CreatedBy, LatencyP99Ms);
    }
}
