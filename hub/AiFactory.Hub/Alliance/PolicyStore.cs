using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// Sharing policies, set by each company's admin: kept as rows that a change replaces and a revocation deletes, with
/// every change (old and new) in the append-only audit log. Nothing is cached: a benchmark reads the rows in force at
/// its own start, so a change or revocation holds from the next query on, on every replica.
/// </summary>
public sealed class PolicyStore(HubDatabase database, TimeProvider time)
{
    private static readonly string[] KnownPurposes = ["benchmarking", "model-development"];

    public async Task<SharingPolicy> SetAsync(AuditActor actor, string alliance, string company, MetricFamily metric, PolicyRequest body, CancellationToken ct)
    {
        var plant = body.Plant ?? string.Empty;
        var line = body.Line ?? string.Empty;
        if (plant.Length > 0)
        {
            TenancyIds.Check("plant", plant);
        }

        if (line.Length > 0)
        {
            if (plant.Length == 0)
            {
                throw HubProblemException.BadRequest("line needs its plant: give 'plant' with 'line'.");
            }

            TenancyIds.Check("line", line);
        }

        var level = ParseLevel(body.Level);
        var named = (body.NamedCompanies ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var n in named)
        {
            TenancyIds.Check("namedCompanies entry", n);
        }

        if ((level == SharingLevel.Named) != (named.Count > 0))
        {
            throw HubProblemException.BadRequest(level == SharingLevel.Named
                ? "level 'named' needs at least one company in 'namedCompanies'."
                : $"'namedCompanies' is only for level 'named', not '{body.Level}'.");
        }

        var purposes = (body.Purposes ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (purposes.Count == 0 || purposes.Any(p => !KnownPurposes.Contains(p)))
        {
            throw HubProblemException.BadRequest($"purposes [{string.Join(", ", purposes)}] must name at least one of {string.Join(", ", KnownPurposes)}.");
        }

        var now = time.GetUtcNow();
        var expires = body.Expires ?? throw HubProblemException.BadRequest("expires is missing: every policy has an expiry (ISO 8601 time).");
        if (expires <= now)
        {
            throw HubProblemException.BadRequest($"expires {expires:O} is not in the future.");
        }

        await using (var c = await database.OpenAsync(ct).ConfigureAwait(false))
        {
            var exists = plant.Length == 0 || await c.ExecuteScalarAsync<long>(
                line.Length == 0 ? "SELECT COUNT(*) FROM plants WHERE company_id = @company AND id = @plant" : "SELECT COUNT(*) FROM lines WHERE company_id = @company AND plant_id = @plant AND id = @line",
                new { company, plant, line }).ConfigureAwait(false) > 0;
            if (!exists)
            {
                throw HubProblemException.NotFound(line.Length == 0 ? $"plant '{plant}' does not exist in company '{company}'." : $"line '{line}' in plant '{plant}' does not exist in company '{company}'.");
            }
        }

        var policy = new SharingPolicy(alliance, company, MetricFamilies.Name(metric), plant, line, LevelName(level), named, purposes, expires, now);
        await database.WriteAsync(
            async (c, tx) =>
            {
                var old = await ReadOneAsync(c, tx, alliance, company, policy.Metric, plant, line).ConfigureAwait(false);
                await c.ExecuteAsync("DELETE FROM sharing_policies WHERE alliance_id = @alliance AND company_id = @company AND metric = @metric AND plant_id = @plant AND line_id = @line",
                    new { alliance, company, metric = policy.Metric, plant, line }, tx).ConfigureAwait(false);
                await c.ExecuteAsync(
                    """
                    INSERT INTO sharing_policies (alliance_id, company_id, metric, plant_id, line_id, level, named_companies, purposes, expires_utc, updated_utc)
                    VALUES (@alliance, @company, @metric, @plant, @line, @level, @named, @purposes, @expires, @now)
                    """,
                    new
                    {
                        alliance, company, metric = policy.Metric, plant, line, level = policy.Level, named = string.Join(',', named), purposes = string.Join(',', purposes),
                        expires = expires.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(),
                    },
                    tx).ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, now.ToUnixTimeMilliseconds(), actor, "policy.set", company, Target(policy), old, policy).ConfigureAwait(false);
                return 0;
            },
            ct).ConfigureAwait(false);
        return policy;
    }

    /// <summary>Deletes the policy (the audit log keeps it as the old value); 404 when there is none.</summary>
    public async Task RevokeAsync(AuditActor actor, string alliance, string company, MetricFamily metric, string? plant, string? line, CancellationToken ct)
    {
        var m = MetricFamilies.Name(metric);
        var found = await database.WriteAsync(
            async (c, tx) =>
            {
                var old = await ReadOneAsync(c, tx, alliance, company, m, plant ?? string.Empty, line ?? string.Empty).ConfigureAwait(false);
                if (old is null)
                {
                    return false;
                }

                await c.ExecuteAsync("DELETE FROM sharing_policies WHERE alliance_id = @alliance AND company_id = @company AND metric = @m AND plant_id = @plant AND line_id = @line",
                    new { alliance, company, m, plant = old.PlantId, line = old.LineId }, tx).ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, time.GetUtcNow().ToUnixTimeMilliseconds(), actor, "policy.revoke", company, Target(old), old, null).ConfigureAwait(false);
                return true;
            },
            ct).ConfigureAwait(false);
        if (!found)
        {
            throw HubProblemException.NotFound($"company '{company}' has no '{m}' policy in alliance '{alliance}' for {Scope(plant, line)}.");
        }
    }

    /// <summary>The company's policies in the alliance (expired ones included, marked by their expiry).</summary>
    public async Task<IReadOnlyList<SharingPolicy>> ListAsync(string alliance, string company, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<Row>(Select + " WHERE alliance_id = @alliance AND company_id = @company ORDER BY metric, plant_id, line_id", new { alliance, company }).ConfigureAwait(false))
            .Select(r => r.ToPolicy()).ToList();
    }

    /// <summary>Every policy of <paramref name="metric"/> in the alliance in force at <paramref name="now"/> (not expired).</summary>
    public async Task<PolicySet> InForceAsync(System.Data.Common.DbConnection c, string alliance, MetricFamily metric, DateTimeOffset now)
    {
        var rows = await c.QueryAsync<Row>(Select + " WHERE alliance_id = @alliance AND metric = @metric AND expires_utc > @now",
            new { alliance, metric = MetricFamilies.Name(metric), now = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
        return new PolicySet(rows.Select(r => r.ToPolicy()));
    }

    internal static SharingLevel ParseLevel(string? level) => level switch
    {
        "private" => SharingLevel.Private,
        "alliance-aggregate" => SharingLevel.AllianceAggregate,
        "named" => SharingLevel.Named,
        _ => throw HubProblemException.BadRequest($"level '{level}' is not a sharing level; use private, alliance-aggregate or named."),
    };

    internal static string LevelName(SharingLevel level) => level switch
    {
        SharingLevel.AllianceAggregate => "alliance-aggregate",
        SharingLevel.Named => "named",
        _ => "private",
    };

    private static string Scope(string? plant, string? line) =>
        string.IsNullOrEmpty(plant) ? "the whole company" : string.IsNullOrEmpty(line) ? $"plant '{plant}'" : $"line '{plant}/{line}'";

    private static string Target(SharingPolicy p) =>
        $"{p.AllianceId}/{p.CompanyId}/policies/{p.Metric}" + (p.PlantId.Length == 0 ? string.Empty : "/" + p.PlantId) + (p.LineId.Length == 0 ? string.Empty : "/" + p.LineId);

    private static async Task<SharingPolicy?> ReadOneAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string alliance, string company, string metric, string plant, string line) =>
        (await c.QuerySingleOrDefaultAsync<Row>(Select + " WHERE alliance_id = @alliance AND company_id = @company AND metric = @metric AND plant_id = @plant AND line_id = @line",
            new { alliance, company, metric, plant, line }, tx).ConfigureAwait(false))?.ToPolicy();

    private const string Select =
        "SELECT alliance_id AS AllianceId, company_id AS CompanyId, metric AS Metric, plant_id AS PlantId, line_id AS LineId, level AS Level, named_companies AS Named, purposes AS Purposes, expires_utc AS Expires, updated_utc AS Updated FROM sharing_policies";

    private sealed record Row(string AllianceId, string CompanyId, string Metric, string PlantId, string LineId, string Level, string Named, string Purposes, long Expires, long Updated)
    {
        public SharingPolicy ToPolicy() => new(
            AllianceId, CompanyId, Metric, PlantId, LineId, Level, Split(Named), Split(Purposes),
            DateTimeOffset.FromUnixTimeMilliseconds(Expires), DateTimeOffset.FromUnixTimeMilliseconds(Updated));

        private static string[] Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }
}
