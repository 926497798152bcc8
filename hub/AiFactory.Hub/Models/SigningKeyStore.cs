using System.Data.Common;
using AiFactory.Contracts;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Models;

/// <summary>The <c>signing_keys</c> table: the public keys whose signatures a company's registry accepts.</summary>
public sealed class SigningKeyStore(HubDatabase database, TimeProvider time)
{
    /// <summary>Registers a P-256 public key (base64 SubjectPublicKeyInfo) for the company; answers it. Audited.</summary>
    public async Task<SigningKey> RegisterAsync(AuditActor actor, string company, string? name, string? publicKey, CancellationToken ct)
    {
        using var key = PackageSignature.ReadPublicKey(publicKey, out var problem)
            ?? throw HubProblemException.BadRequest($"publicKey {problem}; give an ECDSA P-256 public key as base64 SubjectPublicKeyInfo (aifactory model key create prints one).");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200 || ControlCharacters.Any(name))
        {
            throw HubProblemException.BadRequest("name is required: whose key it is (at most 200 characters, no control characters).");
        }

        var spki = key.ExportSubjectPublicKeyInfo();
        var stored = new SigningKey(PackageSignature.KeyId(spki), name, Convert.ToBase64String(spki), time.GetUtcNow(), actor.Who, false);
        var now = stored.CreatedUtc.ToUnixTimeMilliseconds();
        await database.WriteAsync(
            async (c, tx) =>
            {
                try
                {
                    await c.ExecuteAsync(
                        "INSERT INTO signing_keys (company_id, key_id, name, public_key, created_utc, created_by) VALUES (@company, @id, @name, @key, @t, @by)",
                        new { company, id = stored.KeyId, name, key = stored.PublicKey, t = now, by = actor.Who }, tx).ConfigureAwait(false);
                }
                catch (DbException ex) when (ex.SqlState == "23505" || ex.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal))
                {
                    throw HubProblemException.Conflict($"signing key '{stored.KeyId}' is already registered for company '{company}'.");
                }

                await AuditLog.WriteAsync(c, tx, now, actor, "signing-key.register", company, $"{company}/signing-keys/{stored.KeyId}", null, new { stored.KeyId, name }).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Revokes a key: packages it signed stay, it signs nothing new. Audited.</summary>
    public async Task RevokeAsync(AuditActor actor, string company, string keyId, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync(
            async (c, tx) =>
            {
                var changed = await c.ExecuteAsync(
                    "UPDATE signing_keys SET revoked_utc = @t WHERE company_id = @company AND key_id = @keyId AND revoked_utc IS NULL",
                    new { t = now, company, keyId }, tx).ConfigureAwait(false);
                if (changed == 0)
                {
                    throw HubProblemException.NotFound($"signing key '{keyId}' of company '{company}' does not exist or is revoked already.");
                }

                await AuditLog.WriteAsync(c, tx, now, actor, "signing-key.revoke", company, $"{company}/signing-keys/{keyId}", null, null).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SigningKey>> ListAsync(string company, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Id, string Name, string Key, long Created, string By, long? Revoked)>(
            "SELECT key_id, name, public_key, created_utc, created_by, revoked_utc FROM signing_keys WHERE company_id = @company ORDER BY created_utc, key_id",
            new { company }).ConfigureAwait(false);
        return rows.Select(r => new SigningKey(r.Id, r.Name, r.Key, DateTimeOffset.FromUnixTimeMilliseconds(r.Created), r.By, r.Revoked is not null)).ToList();
    }

    /// <summary>The company's key with that id, revoked or not; null when it has none.</summary>
    public async Task<SigningKey?> FindAsync(string company, string keyId, CancellationToken ct) =>
        (await ListAsync(company, ct).ConfigureAwait(false)).FirstOrDefault(k => k.KeyId == keyId);
}
