using AiFactory.Contracts;

namespace AiFactory.Edge.Live;

/// <summary>What <see cref="ModelDeployer"/> keeps beside its package cache: the desired state last applied and each station's packages.</summary>
internal sealed record DeployerState(string? Etag, DesiredState? Desired, Dictionary<string, AppliedStation> Stations)
{
    public static DeployerState Empty => new(null, null, new Dictionary<string, AppliedStation>(StringComparer.Ordinal));
}
