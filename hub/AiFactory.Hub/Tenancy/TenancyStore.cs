using System.Data.Common;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Tenancy;

/// <summary>Companies → plants → lines → stations, edges and API keys: created by the admin API and the CLI.</summary>
public sealed class TenancyStore(HubDatabase database, TimeProvider time)
{
    public Task CreateCompanyAsync(AuditActor actor, string id, string name, CancellationToken ct)
    {
        TenancyIds.Check("company", id);
        return InsertAsync(
            "INSERT INTO companies (id, name, created_utc) VALUES (@id, @name, @t)", new { id, name, t = Now() }, $"company '{id}'",
            new AuditChange(actor, "company.create", id, id, new { id, name }), ct);
    }

    public async Task CreatePlantAsync(AuditActor actor, string company, string id, string name, CancellationToken ct)
    {
        TenancyIds.Check("company", company);
        TenancyIds.Check("plant", id);
        await RequireAsync("SELECT COUNT(*) FROM companies WHERE id = @company", new { company }, $"company '{company}'", ct).ConfigureAwait(false);
        await InsertAsync(
            "INSERT INTO plants (company_id, id, name, created_utc) VALUES (@company, @id, @name, @t)",
            new { company, id, name, t = Now() }, $"plant '{id}' in company '{company}'",
            new AuditChange(actor, "plant.create", company, $"{company}/{id}", new { id, name }), ct).ConfigureAwait(false);
    }

    public async Task CreateLineAsync(AuditActor actor, string company, string plant, string id, string name, CancellationToken ct)
    {
        TenancyIds.Check("company", company);
        TenancyIds.Check("plant", plant);
        TenancyIds.Check("line", id);
        await RequireAsync("SELECT COUNT(*) FROM plants WHERE company_id = @company AND id = @plant", new { company, plant }, $"plant '{plant}' in company '{company}'", ct).ConfigureAwait(false);
        await InsertAsync(
            "INSERT INTO lines (company_id, plant_id, id, name, created_utc) VALUES (@company, @plant, @id, @name, @t)",
            new { company, plant, id, name, t = Now() }, $"line '{id}' in plant '{plant}'",
            new AuditChange(actor, "line.create", company, $"{company}/{plant}/{id}", new { id, name }), ct).ConfigureAwait(false);
    }

    public async Task CreateStationAsync(AuditActor actor, string company, string plant, string line, string id, string name, CancellationToken ct)
    {
        TenancyIds.Check("company", company);
        TenancyIds.Check("plant", plant);
        TenancyIds.Check("line", line);
        TenancyIds.Check("station", id);
        await RequireAsync(
            "SELECT COUNT(*) FROM lines WHERE company_id = @company AND plant_id = @plant AND id = @line",
            new { company, plant, line }, $"line '{line}' in plant '{plant}' of company '{company}'", ct).ConfigureAwait(false);
        await InsertAsync(
            "INSERT INTO stations (company_id, plant_id, line_id, id, name, created_utc) VALUES (@company, @plant, @line, @id, @name, @t)",
            new { company, plant, line, id, name, t = Now() }, $"station '{id}' on line '{line}'",
            new AuditChange(actor, "station.create", company, $"{company}/{plant}/{line}/{id}", new { id, name }), ct).ConfigureAwait(false);
    }

    /// <summary>Registers an edge bound to one plant and returns its API key (shown once).</summary>
    public async Task<CreatedKey> CreateEdgeAsync(AuditActor actor, string company, string plant, string id, string name, CancellationToken ct)
    {
        TenancyIds.Check("company", company);
        TenancyIds.Check("plant", plant);
        TenancyIds.Check("edge", id);
        await RequireAsync("SELECT COUNT(*) FROM plants WHERE company_id = @company AND id = @plant", new { company, plant }, $"plant '{plant}' in company '{company}'", ct).ConfigureAwait(false);
        var key = ApiKey.Generate();
        await database.WriteAsync(
            async (c, tx) =>
            {
                await InsertInAsync(c, tx, "INSERT INTO edges (id, company_id, plant_id, name, created_utc) VALUES (@id, @company, @plant, @name, @t)",
                    new { id, company, plant, name, t = Now() }, $"edge '{id}'").ConfigureAwait(false);
                await InsertKeyAsync(c, tx, key, HubRole.Edge, company, id, $"edge {id}").ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, Now(), actor, "edge.create", company, $"{company}/{plant}/{id}", null, new { id, name, keyId = key.Id }).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
        return new CreatedKey(key.Id, key.Key, HubRoles.Name(HubRole.Edge), company, id);
    }

    /// <summary>Creates a user key with a role scoped to a company (or a hub-admin key when company is null).</summary>
    /// <param name="owner">The named user of the company the key belongs to (null: the key is its own owner); one person's keys share one privacy budget.</param>
    public async Task<CreatedKey> CreateUserKeyAsync(AuditActor actor, string? company, HubRole role, string name, string? owner, CancellationToken ct)
    {
        if (owner is not null)
        {
            TenancyIds.Check("owner", owner);
        }

        if (role == HubRole.Edge)
        {
            throw HubProblemException.BadRequest("role 'edge' is given by registering an edge, not to a user.");
        }

        if (role == HubRole.HubAdmin != (company is null))
        {
            throw HubProblemException.BadRequest(role == HubRole.HubAdmin
                ? "role 'hub-admin' is not scoped to a company; create it without one."
                : $"role '{HubRoles.Name(role)}' must be scoped to a company.");
        }

        if (company is not null)
        {
            TenancyIds.Check("company", company);
            await RequireAsync("SELECT COUNT(*) FROM companies WHERE id = @company", new { company }, $"company '{company}'", ct).ConfigureAwait(false);
        }

        var key = ApiKey.Generate();
        await database.WriteAsync(
            async (c, tx) =>
            {
                await InsertKeyAsync(c, tx, key, role, company, null, name, owner).ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, Now(), actor, "key.create", company, $"key {key.Id}", null, new { keyId = key.Id, role = HubRoles.Name(role), name, owner = owner ?? key.Id }).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
        return new CreatedKey(key.Id, key.Key, HubRoles.Name(role), company, null);
    }

    /// <summary>
    /// Whether the caller's key still stands as it was when it was checked: not revoked or gone, of the same role and
    /// company. Every request checks its key as it comes; what stays open (a dashboard page, a live stream) checks
    /// again with this as it goes on.
    /// </summary>
    public async Task<bool> KeyStandsAsync(HubCaller caller, CancellationToken ct)
    {
        var key = await FindKeyAsync(caller.KeyId, ct).ConfigureAwait(false);
        return key is not null && key.RevokedUtc is null && key.Role == HubRoles.Name(caller.Role) && key.CompanyId == caller.CompanyId;
    }

    /// <summary>The key's row, or null when unknown.</summary>
    public async Task<StoredKey?> FindKeyAsync(string keyId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<StoredKey>(
            """
            SELECT k.id AS Id, k.secret_hash AS SecretHash, k.role AS Role, k.company_id AS CompanyId, k.edge_id AS EdgeId,
                   e.plant_id AS PlantId, k.revoked_utc AS RevokedUtc, COALESCE(k.owner, k.id) AS Owner
            FROM api_keys k LEFT JOIN edges e ON e.id = k.edge_id WHERE k.id = @keyId
            """,
            new { keyId }).ConfigureAwait(false);
    }

    /// <summary>Registers a hub-admin key given in configuration unless its id is already known; only the hash is stored.</summary>
    public async Task<bool> EnsureBootstrapAdminAsync(string presentedKey, CancellationToken ct)
    {
        if (!ApiKey.TryParse(presentedKey, out var id, out var secret))
        {
            throw new ArgumentException("The bootstrap admin key is not an AiFactory key ('aif_<id>_<secret>').", nameof(presentedKey));
        }

        if (await FindKeyAsync(id, ct).ConfigureAwait(false) is not null)
        {
            return false;
        }

        try
        {
            await database.WriteAsync(
                async (c, tx) =>
                {
                    await InsertKeyAsync(c, tx, (id, presentedKey, ApiKey.Hash(secret)), HubRole.HubAdmin, null, null, "bootstrap hub admin").ConfigureAwait(false);
                    await AuditLog.WriteAsync(c, tx, Now(), AuditActor.Configuration, "key.create", null, $"key {id}", null, new { keyId = id, role = HubRoles.Name(HubRole.HubAdmin), name = "bootstrap hub admin" }).ConfigureAwait(false);
                    return 0;
                },
                ct).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            // Silos of one cluster start together with the same configuration: the one that inserted first wins, and
            // the others find its row (the insert failed on the key's primary key). Anything else is a real failure.
            if (await FindKeyAsync(id, ct).ConfigureAwait(false) is null)
            {
                throw;
            }

            return false;
        }

        return true;
    }

    public async Task RevokeKeyAsync(AuditActor actor, string keyId, CancellationToken ct)
    {
        TenancyIds.Check("key", keyId);
        var changed = await database.WriteAsync(
            async (c, tx) =>
            {
                var now = Now();
                var company = await c.QuerySingleOrDefaultAsync<string?>("SELECT company_id FROM api_keys WHERE id = @keyId", new { keyId }, tx).ConfigureAwait(false);
                var n = await c.ExecuteAsync("UPDATE api_keys SET revoked_utc = @t WHERE id = @keyId AND revoked_utc IS NULL", new { keyId, t = now }, tx).ConfigureAwait(false);
                if (n > 0)
                {
                    await AuditLog.WriteAsync(c, tx, now, actor, "key.revoke", company, $"key {keyId}", new { revokedUtc = (DateTimeOffset?)null }, new { revokedUtc = DateTimeOffset.FromUnixTimeMilliseconds(now) }).ConfigureAwait(false);
                }

                return n;
            },
            ct).ConfigureAwait(false);
        if (changed == 0 && await FindKeyAsync(keyId, ct).ConfigureAwait(false) is null)
        {
            throw HubProblemException.NotFound($"key '{keyId}' does not exist.");
        }
    }

    public async Task<bool> CompanyExistsAsync(string company, CancellationToken ct) =>
        await CountAsync("SELECT COUNT(*) FROM companies WHERE id = @company", new { company }, ct).ConfigureAwait(false) > 0;

    /// <summary>Whether the named plant / line / station exists in the company (null parts are not checked).</summary>
    public async Task<bool> ScopeExistsAsync(string company, string? plant, string? line, string? station, CancellationToken ct)
    {
        var (sql, what) = (plant, line, station) switch
        {
            (null, _, _) => ("SELECT COUNT(*) FROM companies WHERE id = @company", 0),
            (_, null, _) => ("SELECT COUNT(*) FROM plants WHERE company_id = @company AND id = @plant", 1),
            (_, _, null) => ("SELECT COUNT(*) FROM lines WHERE company_id = @company AND plant_id = @plant AND id = @line", 2),
            _ => ("SELECT COUNT(*) FROM stations WHERE company_id = @company AND plant_id = @plant AND line_id = @line AND id = @station", 3),
        };
        _ = what;
        return await CountAsync(sql, new { company, plant, line, station }, ct).ConfigureAwait(false) > 0;
    }

    /// <summary>The registered (line, station) pairs of a plant.</summary>
    public async Task<HashSet<(string Line, string Station)>> StationsOfPlantAsync(string company, string plant, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string, string)>(
            "SELECT line_id, id FROM stations WHERE company_id = @company AND plant_id = @plant", new { company, plant }).ConfigureAwait(false);
        return rows.ToHashSet();
    }

    /// <summary>The company's tree: plants, their lines and stations.</summary>
    public async Task<CompanyTree> TreeAsync(string company, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var name = await c.QuerySingleAsync<string>("SELECT name FROM companies WHERE id = @company", new { company }).ConfigureAwait(false);
        var plants = await c.QueryAsync<(string Id, string Name)>("SELECT id, name FROM plants WHERE company_id = @company ORDER BY id", new { company }).ConfigureAwait(false);
        var lines = (await c.QueryAsync<(string Plant, string Id, string Name)>("SELECT plant_id, id, name FROM lines WHERE company_id = @company ORDER BY id", new { company }).ConfigureAwait(false)).ToList();
        var stations = (await c.QueryAsync<(string Plant, string Line, string Id, string Name)>(
            "SELECT plant_id, line_id, id, name FROM stations WHERE company_id = @company ORDER BY id", new { company }).ConfigureAwait(false)).ToList();
        return new CompanyTree(company, name, plants.Select(p => new PlantNode(p.Id, p.Name,
            lines.Where(l => l.Plant == p.Id).Select(l => new LineNode(l.Id, l.Name,
                stations.Where(s => s.Plant == p.Id && s.Line == l.Id).Select(s => new StationNode(s.Id, s.Name)).ToList())).ToList())).ToList());
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<long> CountAsync(string sql, object args, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>(sql, args).ConfigureAwait(false);
    }

    private async Task RequireAsync(string sql, object args, string what, CancellationToken ct)
    {
        if (await CountAsync(sql, args, ct).ConfigureAwait(false) == 0)
        {
            throw HubProblemException.NotFound($"{what} does not exist.");
        }
    }

    private Task InsertAsync(string sql, object args, string what, AuditChange audit, CancellationToken ct) =>
        database.WriteAsync(
            async (c, tx) =>
            {
                await InsertInAsync(c, tx, sql, args, what).ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, Now(), audit.Actor, audit.Action, audit.Company, audit.Target, null, audit.NewValue).ConfigureAwait(false);
                return 0;
            },
            ct);

    /// <summary>The audit entry of a created object.</summary>
    private sealed record AuditChange(AuditActor Actor, string Action, string Company, string Target, object NewValue);

    private static async Task InsertInAsync(DbConnection c, DbTransaction tx, string sql, object args, string what)
    {
        try
        {
            await c.ExecuteAsync(sql, args, tx).ConfigureAwait(false);
        }
        catch (DbException ex) when (IsUniqueViolation(ex))
        {
            throw HubProblemException.Conflict($"{what} already exists.");
        }
    }

    private Task InsertKeyAsync(DbConnection c, DbTransaction tx, (string Id, string Key, string Hash) key, HubRole role, string? company, string? edge, string name, string? owner = null) =>
        c.ExecuteAsync(
            "INSERT INTO api_keys (id, secret_hash, role, company_id, edge_id, name, owner, created_utc) VALUES (@id, @hash, @role, @company, @edge, @name, @owner, @t)",
            new { id = key.Id, hash = key.Hash, role = HubRoles.Name(role), company, edge, name, owner, t = Now() }, tx);

    private static bool IsUniqueViolation(DbException ex) =>
        ex.SqlState == "23505" || ex.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal);
}
