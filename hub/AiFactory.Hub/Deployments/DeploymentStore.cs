using System.Data.Common;
using System.Text.Json;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// The durable truth of deployments: the <c>deployments</c> history and each station's production package
/// (<c>station_models</c>). Every change is written with its audit entry in one transaction; the company's
/// <see cref="DeploymentGrain"/> holds what is live and rebuilds it from here.
/// </summary>
public sealed class DeploymentStore(HubDatabase database)
{
    private const string Selected =
        "id AS Id, model_name AS ModelName, package_id AS PackageId, version AS Version, strategy AS Strategy, share AS Share, targets AS Targets, " +
        "stations AS Stations, rules AS Rules, state AS State, reason AS Reason, created_utc AS CreatedUtc, created_by AS CreatedBy, ended_utc AS EndedUtc";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The active deployments, the latest promoted one of each model, and each station's production package.</summary>
    public async Task<(IReadOnlyList<Deployment> Active, IReadOnlyList<Deployment> LastPromoted, IReadOnlyList<StationModel> Production)> LoadAsync(string company, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var active = await c.QueryAsync<Row>($"SELECT {Selected} FROM deployments WHERE company_id = @company AND state = @state", new { company, state = Deployment.Active }).ConfigureAwait(false);
        var promoted = (await c.QueryAsync<Row>(
            $"SELECT {Selected} FROM deployments WHERE company_id = @company AND state = @state ORDER BY ended_utc DESC, id DESC", new { company, state = Deployment.Promoted }).ConfigureAwait(false))
            .Select(r => r.ToDeployment()).DistinctBy(d => d.ModelName).ToList();
        var production = await c.QueryAsync<(string Plant, string Line, string Station, string Model, string Package, string? Previous, string Deployment)>(
            "SELECT plant_id, line_id, station_id, model_name, package_id, previous_package_id, deployment_id FROM station_models WHERE company_id = @company",
            new { company }).ConfigureAwait(false);
        return (active.Select(r => r.ToDeployment()).ToList(), promoted,
            production.Select(p => new StationModel(StationKey.Of(p.Plant, p.Line, p.Station), p.Model, p.Package, p.Previous, p.Deployment)).ToList());
    }

    /// <summary>The company's deployments, newest first; of one model when given.</summary>
    public async Task<IReadOnlyList<Deployment>> ListAsync(string company, string? model, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<Row>(
            $"SELECT {Selected} FROM deployments WHERE company_id = @company AND (@model IS NULL OR model_name = @model) ORDER BY created_utc DESC, id DESC LIMIT @limit",
            new { company, model, limit = (long)limit }).ConfigureAwait(false);
        return rows.Select(r => r.ToDeployment()).ToList();
    }

    public async Task<Deployment?> FindAsync(string company, string id, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Selected} FROM deployments WHERE company_id = @company AND id = @id", new { company, id }).ConfigureAwait(false);
        return row?.ToDeployment();
    }

    /// <summary>Records a new deployment; a full one makes its package production at its stations at once.</summary>
    public Task StartAsync(string company, Deployment d, IReadOnlyList<StationModel> production, AuditActor actor, CancellationToken ct) =>
        database.WriteAsync(
            async (c, tx) =>
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO deployments (company_id, id, model_name, package_id, version, strategy, share, targets, stations, rules, state, reason, created_utc, created_by, ended_utc)
                    VALUES (@company, @Id, @ModelName, @PackageId, @Version, @Strategy, @Share, @targets, @stations, @rules, @State, @Reason, @created, @CreatedBy, @ended)
                    """,
                    new
                    {
                        company, d.Id, d.ModelName, d.PackageId, d.Version, d.Strategy, d.Share, targets = JsonSerializer.Serialize(d.Targets, Json),
                        stations = JsonSerializer.Serialize(d.Stations, Json), rules = JsonSerializer.Serialize(d.Rules, Json), d.State, d.Reason,
                        created = d.CreatedUtc.ToUnixTimeMilliseconds(), d.CreatedBy, ended = d.EndedUtc?.ToUnixTimeMilliseconds(),
                    },
                    tx).ConfigureAwait(false);
                await SetProductionAsync(c, tx, company, production).ConfigureAwait(false);
                await AuditLog.WriteAsync(c, tx, d.CreatedUtc.ToUnixTimeMilliseconds(), actor, "deployment.start", company, Target(company, d), null,
                    new { d.Id, d.ModelName, d.PackageId, d.Version, d.Strategy, d.Share, d.Targets, d.Stations, d.Rules }).ConfigureAwait(false);
                return 0;
            },
            ct);

    /// <summary>Ends a deployment (promoted or rolled back), writing the stations' production packages it changes.</summary>
    public Task EndAsync(string company, Deployment before, Deployment after, IReadOnlyList<StationModel> production, IReadOnlyList<string> cleared, AuditActor actor, CancellationToken ct) =>
        database.WriteAsync(
            async (c, tx) =>
            {
                await c.ExecuteAsync(
                    "UPDATE deployments SET state = @State, reason = @Reason, ended_utc = @ended WHERE company_id = @company AND id = @Id",
                    new { company, after.Id, after.State, after.Reason, ended = after.EndedUtc?.ToUnixTimeMilliseconds() }, tx).ConfigureAwait(false);
                foreach (var station in cleared)
                {
                    var (plant, line, id) = StationKey.Split(station);
                    await c.ExecuteAsync(
                        "DELETE FROM station_models WHERE company_id = @company AND plant_id = @plant AND line_id = @line AND station_id = @id AND model_name = @model",
                        new { company, plant, line, id, model = after.ModelName }, tx).ConfigureAwait(false);
                }

                await SetProductionAsync(c, tx, company, production).ConfigureAwait(false);
                var action = after.State == Deployment.Promoted ? "deployment.promote" : "deployment.rollback";
                await AuditLog.WriteAsync(c, tx, after.EndedUtc!.Value.ToUnixTimeMilliseconds(), actor, action, company, Target(company, after),
                    new { before.State }, new { after.State, after.Reason }).ConfigureAwait(false);
                return 0;
            },
            ct);

    private static string Target(string company, Deployment d) => $"{company}/deployments/{d.Id} ({d.ModelName} {d.Version})";

    private static async Task SetProductionAsync(DbConnection c, DbTransaction tx, string company, IReadOnlyList<StationModel> production)
    {
        foreach (var p in production)
        {
            var (plant, line, station) = StationKey.Split(p.Station);
            var key = new { company, plant, line, station, model = p.ModelName };
            await c.ExecuteAsync(
                "DELETE FROM station_models WHERE company_id = @company AND plant_id = @plant AND line_id = @line AND station_id = @station AND model_name = @model", key, tx).ConfigureAwait(false);
            await c.ExecuteAsync(
                """
                INSERT INTO station_models (company_id, plant_id, line_id, station_id, model_name, package_id, previous_package_id, deployment_id)
                VALUES (@company, @plant, @line, @station, @model, @package, @previous, @deployment)
                """,
                new { company, plant, line, station, model = p.ModelName, package = p.PackageId, previous = p.PreviousPackageId, deployment = p.DeploymentId }, tx).ConfigureAwait(false);
        }
    }

    private sealed record Row(
        string Id, string ModelName, string PackageId, string Version, string Strategy, double Share, string Targets, string Stations, string Rules,
        string State, string? Reason, long CreatedUtc, string CreatedBy, long? EndedUtc)
    {
        public Deployment ToDeployment() => new(
            Id, ModelName, PackageId, Version, Strategy, Share, JsonSerializer.Deserialize<List<string>>(Targets, Json)!, JsonSerializer.Deserialize<List<string>>(Stations, Json)!,
            JsonSerializer.Deserialize<RollbackRules>(Rules, Json)!, State, Reason, DateTimeOffset.FromUnixTimeMilliseconds(CreatedUtc), CreatedBy,
            EndedUtc is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null);
    }
}
