using AiFactory.Contracts;
using Orleans.Concurrency;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// A company's deployments as live state, keyed by the company: the active shadow and canary deployments, each station's
/// production package, the edges' latest reports, the rules that roll a deployment back, and the long-poll of each
/// edge's desired state.
/// </summary>
public interface IDeploymentGrain : IGrainWithStringKey
{
    Task<DeploymentChange> StartAsync(Deployment deployment, string who, string via);

    Task<DeploymentChange> PromoteAsync(string id, string who, string via);

    Task<DeploymentChange> RollbackAsync(string id, string reason, string who, string via);

    /// <summary>The edge's desired state; while it equals <paramref name="etag"/>, waits up to <paramref name="wait"/> for a change.</summary>
    [AlwaysInterleave]
    Task<DesiredState> DesiredAsync(string edgeId, string plant, string? etag, TimeSpan wait);

    /// <summary>Takes an edge's report and applies the rollback rules to the deployments it concerns.</summary>
    Task ReportAsync(string plant, EdgeModelReport report);

    /// <summary>The latest report of each station (of one model when given).</summary>
    Task<IReadOnlyList<ReportedStation>> ReportsAsync(string? model);
}
