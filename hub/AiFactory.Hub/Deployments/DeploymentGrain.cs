using System.Security.Cryptography;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Live;
using AiFactory.Hub.Models;
using Microsoft.Extensions.Logging;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// One activation per company. SQL (<see cref="DeploymentStore"/>) holds the truth and is written on every change with
/// its audit entry; the grain holds the active deployments, each station's production package and the edges' latest
/// reports, answers each edge's long-poll as soon as its stations' assignments change, and rolls a deployment back
/// when a report breaks one of its rules, so the rollback reaches the edges with their next poll (held requests are
/// answered at once).
/// </summary>
public sealed partial class DeploymentGrain(
    DeploymentStore store, ModelRegistry registry, SigningKeyStore keys, TimeProvider time, ILogger<DeploymentGrain> log) : Grain, IDeploymentGrain
{
    private readonly List<Deployment> _active = [];
    private readonly Dictionary<string, Deployment> _lastPromoted = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Station, string Model), StationModel> _production = [];
    private readonly Dictionary<(string Station, string Model), ReportedStation> _reports = [];
    private readonly Dictionary<string, ModelPackageRef> _refs = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string Company => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ActivationLock.LeaveAsync();
        var (active, promoted, production) = await store.LoadAsync(Company, cancellationToken);
        _active.AddRange(active);
        foreach (var d in promoted)
        {
            _lastPromoted[d.ModelName] = d;
        }

        foreach (var p in production)
        {
            _production[(p.Station, p.ModelName)] = p;
        }
    }

    public async Task<DeploymentChange> StartAsync(Deployment deployment, string who, string via)
    {
        if (_active.FirstOrDefault(a => a.ModelName == deployment.ModelName) is { } running)
        {
            return DeploymentChange.Refused(409,
                $"model '{deployment.ModelName}' has deployment '{running.Id}' ({running.Strategy} of {running.Version}) under way; promote or roll it back first.");
        }

        var now = time.GetUtcNow();
        var started = deployment with { CreatedUtc = now, CreatedBy = who };
        var production = new List<StationModel>();
        if (started.Strategy == Deployment.Full)
        {
            started = started with { State = Deployment.Promoted, EndedUtc = now };
            production.AddRange(Promotions(started));
        }

        await store.StartAsync(Company, started, production, new AuditActor(who, via), CancellationToken.None);
        if (started.State == Deployment.Active)
        {
            _active.Add(started);
        }
        else
        {
            Promote(started, production);
        }

        LogStarted(log, Company, started.Id, started.ModelName, started.Version, started.Strategy, started.Stations.Count);
        Changed();
        return DeploymentChange.Done(started);
    }

    public async Task<DeploymentChange> PromoteAsync(string id, string who, string via)
    {
        if (_active.FirstOrDefault(a => a.Id == id) is not { } d)
        {
            return await NotActiveAsync(id, "promoted");
        }

        var promoted = d with { State = Deployment.Promoted, EndedUtc = time.GetUtcNow() };
        var production = Promotions(promoted);
        await store.EndAsync(Company, d, promoted, production, [], new AuditActor(who, via), CancellationToken.None);
        _active.Remove(d);
        Promote(promoted, production);
        LogPromoted(log, Company, id, d.ModelName, d.Version);
        Changed();
        return DeploymentChange.Done(promoted);
    }

    public async Task<DeploymentChange> RollbackAsync(string id, string reason, string who, string via)
    {
        var d = _active.FirstOrDefault(a => a.Id == id);
        if (d is null && _lastPromoted.Values.FirstOrDefault(p => p.Id == id) is { } promoted)
        {
            d = promoted;
        }

        if (d is null)
        {
            return await NotActiveAsync(id, "rolled back");
        }

        return DeploymentChange.Done(await RollBackAsync(d, reason, new AuditActor(who, via)));
    }

    public async Task<DesiredState> DesiredAsync(string edgeId, string plant, string? etag, TimeSpan wait)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var changed = _changed.Task;
            var state = await DesiredStateAsync(edgeId, plant);
            var left = deadline - time.GetUtcNow();
            if (state.Etag != etag || left <= TimeSpan.Zero)
            {
                return state;
            }

            await Task.WhenAny(changed, Task.Delay(left, time));
        }
    }

    public async Task ReportAsync(string plant, EdgeModelReport report)
    {
        var now = time.GetUtcNow();
        foreach (var station in report.Stations)
        {
            var key = StationKey.Of(plant, station.LineId, station.StationId);
            _reports[(key, station.ModelName)] = new ReportedStation(report.EdgeId, key, now, station);
        }

        foreach (var d in _active.Concat(_lastPromoted.Values).Where(d => report.Stations.Any(s => s.ModelName == d.ModelName)).ToList())
        {
            if (RuleJudge.Judge(d, _reports.Values) is { } reason)
            {
                LogRuleBroken(log, Company, d.Id, d.ModelName, d.Version, reason);
                await RollBackAsync(d, reason, new AuditActor("hub rollback rules", "rules"));
            }
        }
    }

    public Task<IReadOnlyList<ReportedStation>> ReportsAsync(string? model) =>
        Task.FromResult<IReadOnlyList<ReportedStation>>(
            [.. _reports.Values.Where(r => model is null || r.Report.ModelName == model).OrderBy(r => r.Station, StringComparer.Ordinal).ThenBy(r => r.Report.ModelName, StringComparer.Ordinal)]);

    private async Task<Deployment> RollBackAsync(Deployment d, string reason, AuditActor actor)
    {
        var ended = d with { State = Deployment.RolledBack, Reason = reason, EndedUtc = time.GetUtcNow() };
        var restored = new List<StationModel>();
        var cleared = new List<string>();
        if (d.State == Deployment.Promoted)
        {
            foreach (var s in d.Stations)
            {
                if (_production.TryGetValue((s, d.ModelName), out var now) && now.DeploymentId == d.Id)
                {
                    if (now.PreviousPackageId is { } previous)
                    {
                        restored.Add(new StationModel(s, d.ModelName, previous, null, d.Id));
                    }
                    else
                    {
                        cleared.Add(s);
                    }
                }
            }
        }

        await store.EndAsync(Company, d, ended, restored, cleared, actor, CancellationToken.None);
        _active.Remove(d);
        _lastPromoted.Remove(d.ModelName);
        foreach (var s in cleared)
        {
            _production.Remove((s, d.ModelName));
        }

        foreach (var r in restored)
        {
            _production[(r.Station, r.ModelName)] = r;
        }

        LogRolledBack(log, Company, d.Id, d.ModelName, d.Version, reason);
        Changed();
        return ended;
    }

    private List<StationModel> Promotions(Deployment d) =>
        [.. d.Stations.Select(s => new StationModel(s, d.ModelName, d.PackageId, _production.TryGetValue((s, d.ModelName), out var p) ? p.PackageId : null, d.Id))];

    private void Promote(Deployment d, List<StationModel> production)
    {
        _lastPromoted[d.ModelName] = d;
        foreach (var p in production)
        {
            _production[(p.Station, p.ModelName)] = p;
        }
    }

    private async Task<DeploymentChange> NotActiveAsync(string id, string doing)
    {
        var known = await store.FindAsync(Company, id, CancellationToken.None);
        return known is null
            ? DeploymentChange.Refused(404, $"deployment '{id}' does not exist in company '{Company}'.")
            : DeploymentChange.Refused(409, $"deployment '{id}' is {known.State}{(known.State == Deployment.Promoted ? " and a later deployment of the model followed it" : string.Empty)}; it cannot be {doing}.");
    }

    /// <summary>Wakes every held long-poll: each recomputes its edge's state and answers if it changed.</summary>
    private void Changed()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }

    private async Task<DesiredState> DesiredStateAsync(string edgeId, string plant)
    {
        var prefix = plant + "/";
        var pairs = new SortedSet<(string Station, string Model)>();
        foreach (var key in _production.Keys.Where(k => k.Station.StartsWith(prefix, StringComparison.Ordinal)))
        {
            pairs.Add(key);
        }

        foreach (var d in _active)
        {
            foreach (var s in d.Stations.Where(s => s.StartsWith(prefix, StringComparison.Ordinal)))
            {
                pairs.Add((s, d.ModelName));
            }
        }

        var assignments = new List<StationAssignment>();
        foreach (var (station, model) in pairs)
        {
            var active = _active.FirstOrDefault(d => d.ModelName == model && d.Stations.Contains(station));
            var production = active is { Strategy: Deployment.Canary } ? active.PackageId : _production.GetValueOrDefault((station, model))?.PackageId;
            var shadow = active is { Strategy: Deployment.Shadow } ? active.PackageId : null;
            var (_, line, id) = StationKey.Split(station);
            assignments.Add(new StationAssignment(
                line, id, model, production is null ? null : await RefAsync(production), shadow is null ? null : await RefAsync(shadow),
                active?.Id ?? _production.GetValueOrDefault((station, model))?.DeploymentId));
        }

        var etag = ModelManifest.Hex(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(assignments, Json)))[..16];
        return new DesiredState(edgeId, etag, assignments);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<ModelPackageRef> RefAsync(string packageId)
    {
        if (!_refs.TryGetValue(packageId, out var found))
        {
            var package = await registry.FindAsync(Company, packageId, CancellationToken.None)
                ?? throw new InvalidOperationException($"package '{packageId}' of company '{Company}' is deployed but not in the registry");
            var key = await keys.FindAsync(Company, package.KeyId, CancellationToken.None)
                ?? throw new InvalidOperationException($"signing key '{package.KeyId}' of company '{Company}' signed a registered package but is not registered");
            _refs[packageId] = found = new ModelPackageRef(package.PackageId, package.Version, package.Manifest, key.KeyId, key.PublicKey, package.Signature);
        }

        return found;
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Company {Company}: deployment {Deployment} started: {Model} {Version} as {Strategy} at {Stations} station(s)")]
    private static partial void LogStarted(ILogger logger, string company, string deployment, string model, string version, string strategy, int stations);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Company {Company}: deployment {Deployment} promoted: {Model} {Version} is production at its stations")]
    private static partial void LogPromoted(ILogger logger, string company, string deployment, string model, string version);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Company {Company}: deployment {Deployment} rolled back: {Model} {Version}: {Reason}")]
    private static partial void LogRolledBack(ILogger logger, string company, string deployment, string model, string version, string reason);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Company {Company}: deployment {Deployment} of {Model} {Version} broke a rule: {Reason}")]
    private static partial void LogRuleBroken(ILogger logger, string company, string deployment, string model, string version, string reason);
}
