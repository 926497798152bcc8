using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AiFactory.Contracts;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Models;
using AiFactory.Hub.Tenancy;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// Turns a deployment request into a <see cref="Deployment"/>: the package, the stations its targets name (checked
/// against the company's tree), the canary's share of them, and the rules. Every refusal names the field and the value.
/// </summary>
public sealed class DeploymentPlanner(ModelRegistry registry, TenancyStore tenancy, IOptions<DeploymentOptions> options, TimeProvider time)
{
    private static readonly string[] Strategies = [Deployment.Shadow, Deployment.Canary, Deployment.Full];

    public async Task<Deployment> PlanAsync(string company, DeployRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            throw HubProblemException.BadRequest("the body is empty; give packageId (or model and version), targets and strategy.");
        }

        var package = await PackageAsync(company, request, ct).ConfigureAwait(false);
        if (request.Strategy is not { } strategy || !Strategies.Contains(strategy))
        {
            throw HubProblemException.BadRequest($"strategy '{ControlCharacters.Escape(request.Strategy ?? string.Empty)}' is not one of shadow, canary, full.");
        }

        var share = strategy == Deployment.Canary
            ? request.Share is { } s && s > 0 && s <= 1 ? s : throw HubProblemException.BadRequest($"share must be above 0 and at most 1 for a canary (was {request.Share?.ToString(CultureInfo.InvariantCulture) ?? "missing"}).")
            : request.Share is null or 1 ? 1 : throw HubProblemException.BadRequest($"share applies to canary deployments only; a {strategy} deployment runs on every target station.");
        var targets = request.Targets ?? [];
        if (targets.Count == 0)
        {
            throw HubProblemException.BadRequest("targets is empty; name plants, lines or stations (plant, plant/line, plant/line/station).");
        }

        var all = await StationsAsync(company, targets, ct).ConfigureAwait(false);
        var stations = strategy == Deployment.Canary ? Canary(package.Name, all, share) : all;
        var now = time.GetUtcNow();
        var id = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd-HHmmss}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}");
        return new Deployment(id, package.Name, package.PackageId, package.Version, strategy, share, [.. targets], stations,
            Rules(request.Rules, package.LatencyP99Ms), Deployment.Active, null, now, string.Empty, null);
    }

    /// <summary>
    /// The canary's stations: ⌈share × n⌉ (at least one) in an order fixed by the model and station, so that the same
    /// canary share of a model lands on the same stations each time.
    /// </summary>
    public static List<string> Canary(string model, IReadOnlyList<string> stations, double share)
    {
        var count = Math.Max(1, (int)Math.Ceiling(share * stations.Count - 1e-9));
        return [.. stations.OrderBy(s => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(model + "\n" + s))), StringComparer.Ordinal).Take(count).Order(StringComparer.Ordinal)];
    }

    private async Task<PackageInfo> PackageAsync(string company, DeployRequest request, CancellationToken ct)
    {
        if (request.PackageId is { } id)
        {
            return await ModelEndpoints.FindAsync(registry, company, id, ct).ConfigureAwait(false);
        }

        if (request.Model is not { } model || request.Version is not { } version)
        {
            throw HubProblemException.BadRequest("name the package: packageId, or model and version.");
        }

        TenancyIds.Check("model", model);
        return await registry.FindVersionAsync(company, model, version, ct).ConfigureAwait(false)
            ?? throw HubProblemException.NotFound($"model '{model}' version '{ControlCharacters.Escape(version)}' is not registered in company '{company}'.");
    }

    private async Task<List<string>> StationsAsync(string company, IReadOnlyList<string> targets, CancellationToken ct)
    {
        var tree = await tenancy.TreeAsync(company, ct).ConfigureAwait(false);
        var stations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var parts = (target ?? string.Empty).Split('/');
            if (parts.Length > 3 || parts.Any(p => !EntityId.IsValid(p)))
            {
                throw HubProblemException.BadRequest(
                    $"target '{ControlCharacters.Escape(target ?? string.Empty)}' is not plant, plant/line or plant/line/station (each an id: {EntityId.Grammar}).");
            }

            var found = tree.Plants.Where(p => p.Id == parts[0])
                .SelectMany(p => p.Lines.Where(l => parts.Length < 2 || l.Id == parts[1])
                    .SelectMany(l => l.Stations.Where(s => parts.Length < 3 || s.Id == parts[2]).Select(s => StationKey.Of(p.Id, l.Id, s.Id))))
                .ToList();
            if (found.Count == 0)
            {
                throw HubProblemException.NotFound($"target '{target}' names no station of company '{company}'.");
            }

            stations.UnionWith(found);
        }

        return [.. stations];
    }

    private RollbackRules Rules(RulesRequest? r, double? cardLatency)
    {
        var o = options.Value;
        var rules = new RollbackRules(
            r?.MinFrames ?? o.MinFrames, r?.MaxErrorRate ?? o.MaxErrorRate, r?.MaxLatencyP99Ms ?? cardLatency, r?.MaxDisagreement ?? o.MaxDisagreement,
            r?.VerdictRateMin, r?.VerdictRateMax, r?.VerdictRateTolerance ?? o.VerdictRateTolerance);
        foreach (var (key, value) in new (string, double?)[]
        {
            ("rules.maxErrorRate", rules.MaxErrorRate), ("rules.maxDisagreement", rules.MaxDisagreement), ("rules.verdictRateMin", rules.VerdictRateMin),
            ("rules.verdictRateMax", rules.VerdictRateMax), ("rules.verdictRateTolerance", rules.VerdictRateTolerance),
        })
        {
            if (value is { } v && !(v is >= 0 and <= 1))
            {
                throw HubProblemException.BadRequest(string.Create(CultureInfo.InvariantCulture, $"{key} must be between 0 and 1 (was {v})."));
            }
        }

        if (rules.MinFrames < 1 || rules.MaxLatencyP99Ms is <= 0 || (rules.VerdictRateMin > rules.VerdictRateMax))
        {
            throw HubProblemException.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"rules: minFrames must be at least 1 (was {rules.MinFrames}), maxLatencyP99Ms above 0 (was {rules.MaxLatencyP99Ms}), verdictRateMin at most verdictRateMax."));
        }

        return rules;
    }
}
