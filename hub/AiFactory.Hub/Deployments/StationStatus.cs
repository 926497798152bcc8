using AiFactory.Contracts;

namespace AiFactory.Hub.Deployments;

/// <summary>One station's production model and shadow candidate side by side, from its edge's latest report.</summary>
public sealed record StationStatus(
    string Station, string ModelName, string EdgeId, DateTimeOffset ReportedUtc, ModelSummary Production, ModelSummary? Shadow,
    long Compared, double? AgreementRate, IReadOnlyList<ModelFailure> Failures)
{
    public static StationStatus Of(ReportedStation r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var report = r.Report;
        return new StationStatus(
            r.Station, report.ModelName, r.EdgeId, r.ReceivedUtc, ModelSummary.Of(report.Production), report.Shadow is null ? null : ModelSummary.Of(report.Shadow),
            report.Compared, report.Compared == 0 ? null : (double)report.Agreed / report.Compared, report.Failures);
    }
}
