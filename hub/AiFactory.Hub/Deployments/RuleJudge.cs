using System.Globalization;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// Applies a deployment's rollback rules to its stations' latest reports: the candidate's figures summed over the
/// stations that run it, production's over those that run production beside or instead of it. Answers why it must be
/// rolled back, or null.
/// </summary>
public static class RuleJudge
{
    public static string? Judge(Deployment d, IEnumerable<ReportedStation> reports)
    {
        ArgumentNullException.ThrowIfNull(d);
        var sides = SideBySide.Of(d, reports);
        if (sides.Failure is { } found)
        {
            return $"edge '{found.Station.EdgeId}' station {found.Station.Station}: {found.Failure.Stage} failed: {found.Failure.Reason}";
        }

        var (candidate, production, compared, agreed) = (sides.Candidate, sides.Production, sides.Compared, sides.Agreed);
        var rules = d.Rules;
        if (candidate.Frames + candidate.Errors < rules.MinFrames)
        {
            return null;
        }

        if (candidate.ErrorRate > rules.MaxErrorRate)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"rule error rate: {candidate.Errors} of {candidate.Frames + candidate.Errors} frames failed to score ({candidate.ErrorRate:P2}), above {rules.MaxErrorRate:P2}");
        }

        if (rules.MaxLatencyP99Ms is { } limit && candidate.LatencyP99Ms > limit)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"rule latency: p99 {candidate.LatencyP99Ms:0.###} ms over {candidate.Frames} frames, above the card's limit of {limit:0.###} ms");
        }

        if (compared >= rules.MinFrames && 1 - ((double)agreed / compared) is var disagreement && disagreement > rules.MaxDisagreement)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"rule disagreement: the candidate's verdict differed from production's on {compared - agreed} of {compared} frames ({disagreement:P2}), above {rules.MaxDisagreement:P2}");
        }

        var baseline = production.Frames >= rules.MinFrames ? production.VerdictRate : (double?)null;
        var low = rules.VerdictRateMin ?? baseline - rules.VerdictRateTolerance;
        var high = rules.VerdictRateMax ?? baseline + rules.VerdictRateTolerance;
        var rate = candidate.VerdictRate;
        if ((low is { } l && rate < l) || (high is { } h && rate > h))
        {
            var against = baseline is { } b ? string.Create(CultureInfo.InvariantCulture, $"; production's is {b:P2}") : string.Empty;
            return string.Create(CultureInfo.InvariantCulture,
                $"rule verdict rate: {candidate.Positives} of {candidate.Frames} frames judged fail or anomalous ({rate:P2}), outside the band {Bound(low)}..{Bound(high)}{against}");
        }

        return null;
    }

    private static string Bound(double? value) => value is { } v ? v.ToString("P2", CultureInfo.InvariantCulture) : "-";
}
