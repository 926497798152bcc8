using AiFactory.Contracts;

namespace AiFactory.Hub.Deployments;

/// <summary>One model's figures as the API shows them side by side with another's.</summary>
public sealed record ModelSummary(
    string? PackageId, string? Version, long Frames, long Errors, double ErrorRate, double VerdictRate, double LatencyP50Ms, double LatencyP99Ms, HistogramData Scores)
{
    public static ModelSummary Of(ModelRunStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var figures = new ModelFigures();
        figures.Add(stats);
        return Of(stats.PackageId, stats.Version, figures);
    }

    public static ModelSummary Of(string? packageId, string? version, ModelFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new(packageId, version, f.Frames, f.Errors, f.ErrorRate, f.VerdictRate, f.LatencyP50Ms, f.LatencyP99Ms, f.Scores);
    }
}
