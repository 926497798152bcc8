using AiFactory.Contracts;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// A deployment's candidate and production summed over its stations' latest reports: the candidate where it runs in
/// shadow or as production, production beside it (shadow) or at the target stations the canary left alone.
/// </summary>
public sealed class SideBySide
{
    public ModelFigures Candidate { get; } = new();

    public ModelFigures Production { get; } = new();

    public long Compared { get; private set; }

    public long Agreed { get; private set; }

    /// <summary>The first station that reported the candidate's package failed there, and how.</summary>
    public (ReportedStation Station, ModelFailure Failure)? Failure { get; private set; }

    public List<ReportedStation> Stations { get; } = [];

    public static SideBySide Of(Deployment d, IEnumerable<ReportedStation> reports)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(reports);
        var sides = new SideBySide();
        foreach (var entry in reports.Where(r => r.Report.ModelName == d.ModelName && Covers(d, r.Station)))
        {
            var r = entry.Report;
            sides.Stations.Add(entry);
            if (sides.Failure is null && r.Failures.FirstOrDefault(f => f.PackageId == d.PackageId) is { } failure)
            {
                sides.Failure = (entry, failure);
            }

            if (r.Shadow is { } shadow && shadow.PackageId == d.PackageId)
            {
                sides.Candidate.Add(shadow);
                sides.Production.Add(r.Production);
                sides.Compared += r.Compared;
                sides.Agreed += r.Agreed;
            }
            else if (r.Production.PackageId == d.PackageId)
            {
                sides.Candidate.Add(r.Production);
            }
            else
            {
                sides.Production.Add(r.Production);
            }
        }

        return sides;
    }

    /// <summary>True when one of the deployment's targets names the station (a canary's other stations give production's figures).</summary>
    public static bool Covers(Deployment d, string station) =>
        d.Targets.Any(t => station == t || station.StartsWith(t + "/", StringComparison.Ordinal));
}
