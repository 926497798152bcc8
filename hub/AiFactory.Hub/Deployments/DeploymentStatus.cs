namespace AiFactory.Hub.Deployments;

/// <summary>
/// A deployment with its candidate and production side by side: summed over its stations, and per station.
/// </summary>
public sealed record DeploymentStatus(
    Deployment Deployment, ModelSummary Candidate, ModelSummary Production, long Compared, double? AgreementRate, IReadOnlyList<StationStatus> Stations)
{
    public static DeploymentStatus Of(Deployment d, IReadOnlyList<ReportedStation> reports)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(reports);
        var sides = SideBySide.Of(d, reports);
        return new DeploymentStatus(
            d, ModelSummary.Of(d.PackageId, d.Version, sides.Candidate), ModelSummary.Of(null, null, sides.Production), sides.Compared,
            sides.Compared == 0 ? null : (double)sides.Agreed / sides.Compared, [.. sides.Stations.Select(StationStatus.Of)]);
    }
}
