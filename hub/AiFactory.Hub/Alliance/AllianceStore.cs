using System.Data.Common;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// The process taxonomy (kept by hub admins), the lines' process tags (their company admins), alliances and their
/// members (hub admins). Every change is written with its audit entry in one transaction.
/// </summary>
public sealed class AllianceStore(HubDatabase database, TimeProvider time)
{
    public async Task CreateProcessTypeAsync(AuditActor actor, string id, string name, CancellationToken ct)
    {
        TenancyIds.Check("process type", id);
        await WriteAsync(actor, "process-type.create", null, $"process-type {id}", null, new { id, name }, (c, tx, now) =>
            InsertAsync(c, tx, "INSERT INTO process_types (id, name, created_utc) VALUES (@id, @name, @now)", new { id, name, now }, $"process type '{id}'"), ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ProcessType>> ProcessTypesAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<ProcessType>("SELECT id AS Id, name AS Name FROM process_types ORDER BY id").ConfigureAwait(false)).ToList();
    }

    /// <summary>Tags a line with a process type of the taxonomy and a product family (replacing an earlier tag).</summary>
    public async Task TagLineAsync(AuditActor actor, string company, string plant, string line, string processType, string productFamily, CancellationToken ct)
    {
        TenancyIds.Check("process type", processType);
        TenancyIds.Check("product family", productFamily);
        await using (var c = await database.OpenAsync(ct).ConfigureAwait(false))
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM lines WHERE company_id = @company AND plant_id = @plant AND id = @line", new { company, plant, line }).ConfigureAwait(false) == 0)
            {
                throw HubProblemException.NotFound($"line '{line}' in plant '{plant}' of company '{company}' does not exist.");
            }

            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM process_types WHERE id = @processType", new { processType }).ConfigureAwait(false) == 0)
            {
                throw HubProblemException.BadRequest($"processType '{processType}' is not in the alliance taxonomy; a hub admin adds it (POST /api/v1/admin/process-types).");
            }
        }

        await database.WriteAsync(
            async (c, tx) =>
            {
                var now = Now();
                var old = await c.QuerySingleOrDefaultAsync<LineProcess>(
                    "SELECT process_type AS ProcessType, product_family AS ProductFamily FROM line_processes WHERE company_id = @company AND plant_id = @plant AND line_id = @line",
                    new { company, plant, line }, tx).ConfigureAwait(false);
                await c.ExecuteAsync(
                    old is null
                        ? "INSERT INTO line_processes (company_id, plant_id, line_id, process_type, product_family, updated_utc) VALUES (@company, @plant, @line, @processType, @productFamily, @now)"
                        : "UPDATE line_processes SET process_type = @processType, product_family = @productFamily, updated_utc = @now WHERE company_id = @company AND plant_id = @plant AND line_id = @line",
                    new { company, plant, line, processType, productFamily, now }, tx).ConfigureAwait(false);
                // The roll-up carries each line's tag in its key; it follows the tag at once.
                await c.ExecuteAsync(
                    "UPDATE alliance_line_spans SET process_type = @processType, product_family = @productFamily WHERE company_id = @company AND plant_id = @plant AND line_id = @line",
                    new { company, plant, line, processType, productFamily }, tx).ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, now, actor, "line.process", company, $"{company}/{plant}/{line}", old, new LineProcess(processType, productFamily)).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
    }

    public async Task CreateAllianceAsync(AuditActor actor, AllianceSettings settings, CancellationToken ct)
    {
        TenancyIds.Check("alliance", settings.Id);
        Check(settings);
        await WriteAsync(actor, "alliance.create", null, $"alliance {settings.Id}", null, settings, (c, tx, now) => InsertAsync(
            c, tx,
            """
            INSERT INTO alliances (id, name, min_companies, max_share, dp_enabled, epsilon_budget, epsilon_per_query, mechanism, delta, created_utc, updated_utc)
            VALUES (@Id, @Name, @MinCompanies, @MaxShare, @Dp, @EpsilonBudget, @EpsilonPerQuery, @Mechanism, @Delta, @now, @now)
            """,
            Args(settings, now), $"alliance '{settings.Id}'"), ct).ConfigureAwait(false);
    }

    public async Task UpdateAllianceAsync(AuditActor actor, AllianceSettings settings, CancellationToken ct)
    {
        Check(settings);
        var old = await FindAsync(settings.Id, ct).ConfigureAwait(false) ?? throw HubProblemException.NotFound($"alliance '{settings.Id}' does not exist.");
        await WriteAsync(actor, "alliance.update", null, $"alliance {settings.Id}", old, settings, (c, tx, now) => c.ExecuteAsync(
            """
            UPDATE alliances SET name = @Name, min_companies = @MinCompanies, max_share = @MaxShare, dp_enabled = @Dp,
                epsilon_budget = @EpsilonBudget, epsilon_per_query = @EpsilonPerQuery, mechanism = @Mechanism, delta = @Delta, updated_utc = @now WHERE id = @Id
            """,
            Args(settings, now), tx), ct).ConfigureAwait(false);
    }

    public async Task<AllianceSettings?> FindAsync(string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<(string Id, string Name, long K, double Share, long Dp, double Budget, double PerQuery, string Mechanism, double Delta)>(
            "SELECT id, name, min_companies, max_share, dp_enabled, epsilon_budget, epsilon_per_query, mechanism, delta FROM alliances WHERE id = @id", new { id }).ConfigureAwait(false);
        return row.Id is null ? null : new AllianceSettings(row.Id, row.Name, (int)row.K, row.Share, row.Dp != 0, row.Budget, row.PerQuery, row.Mechanism, row.Delta);
    }

    public async Task AddMemberAsync(AuditActor actor, string alliance, string company, CancellationToken ct)
    {
        TenancyIds.Check("company", company);
        _ = await FindAsync(alliance, ct).ConfigureAwait(false) ?? throw HubProblemException.NotFound($"alliance '{alliance}' does not exist.");
        await using (var c = await database.OpenAsync(ct).ConfigureAwait(false))
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM companies WHERE id = @company", new { company }).ConfigureAwait(false) == 0)
            {
                throw HubProblemException.NotFound($"company '{company}' does not exist.");
            }
        }

        await WriteAsync(actor, "alliance.member.add", company, $"alliance {alliance}", null, new { alliance, company }, (c, tx, now) => InsertAsync(
            c, tx, "INSERT INTO alliance_members (alliance_id, company_id, joined_utc) VALUES (@alliance, @company, @now)",
            new { alliance, company, now }, $"member '{company}' of alliance '{alliance}'"), ct).ConfigureAwait(false);
    }

    public async Task RemoveMemberAsync(AuditActor actor, string alliance, string company, CancellationToken ct)
    {
        var removed = await database.WriteAsync(
            async (c, tx) =>
            {
                var n = await c.ExecuteAsync("DELETE FROM alliance_members WHERE alliance_id = @alliance AND company_id = @company", new { alliance, company }, tx).ConfigureAwait(false);
                if (n > 0)
                {
                    await AuditLog.WriteAsync(c, tx, Now(), actor, "alliance.member.remove", company, $"alliance {alliance}", new { alliance, company }, null).ConfigureAwait(false);
                }

                return n;
            },
            ct).ConfigureAwait(false);
        if (removed == 0)
        {
            throw HubProblemException.NotFound($"company '{company}' is not a member of alliance '{alliance}'.");
        }
    }

    /// <summary>True when <paramref name="company"/> belongs to <paramref name="alliance"/>.</summary>
    public async Task<bool> IsMemberAsync(string alliance, string company, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM alliance_members WHERE alliance_id = @alliance AND company_id = @company", new { alliance, company }).ConfigureAwait(false) > 0;
    }

    /// <summary>The alliances <paramref name="company"/> belongs to (id, name), by id.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> MembershipsAsync(string company, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return [.. await c.QueryAsync<(string, string)>(
            "SELECT a.id, a.name FROM alliance_members m JOIN alliances a ON a.id = m.alliance_id WHERE m.company_id = @company ORDER BY a.id", new { company }).ConfigureAwait(false)];
    }

    private static void Check(AllianceSettings settings)
    {
        if (settings.Problem() is { } problem)
        {
            throw HubProblemException.BadRequest($"alliance '{settings.Id}': {problem}");
        }
    }

    private static object Args(AllianceSettings s, long now) =>
        new { s.Id, s.Name, MinCompanies = (long)s.MinCompanies, s.MaxShare, Dp = s.DifferentialPrivacy ? 1L : 0L, s.EpsilonBudget, s.EpsilonPerQuery, s.Mechanism, s.Delta, now };

    private Task WriteAsync(
        AuditActor actor, string action, string? company, string target, object? old, object? now, Func<DbConnection, DbTransaction, long, Task> change, CancellationToken ct) =>
        database.WriteAsync(
            async (c, tx) =>
            {
                var t = Now();
                await change(c, tx, t).ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, t, actor, action, company, target, old, now).ConfigureAwait(false);
                return 0;
            },
            ct);

    /// <summary>Runs an insert; a duplicate key is a 409 naming <paramref name="what"/>.</summary>
    internal static async Task InsertAsync(DbConnection c, DbTransaction tx, string sql, object args, string what)
    {
        try
        {
            await c.ExecuteAsync(sql, args, tx).ConfigureAwait(false);
        }
        catch (DbException ex) when (ex.SqlState == "23505" || ex.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal) || ex.Message.Contains("PRIMARY KEY", StringComparison.Ordinal))
        {
            throw HubProblemException.Conflict($"{what} already exists.");
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
