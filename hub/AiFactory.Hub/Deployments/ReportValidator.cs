using AiFactory.Contracts;
using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Deployments;

/// <summary>Checks an edge's model report before the company's grain takes it; a refusal (400) names the station and field.</summary>
public static class ReportValidator
{
    public const int MaxStations = 1000;

    public const int MaxFailures = 10;

    public const int MaxFeatures = 256;

    public const int MaxText = 2000;

    public static void Check(string edgeId, EdgeModelReport? report, IReadOnlySet<(string Line, string Station)> stations)
    {
        if (report?.Stations is null)
        {
            throw HubProblemException.BadRequest("report: stations is missing.");
        }

        if (report.EdgeId != edgeId)
        {
            throw HubProblemException.BadRequest($"report: edgeId '{ControlCharacters.Escape(report.EdgeId ?? string.Empty)}' is not the edge of the path '{edgeId}'.");
        }

        if (report.Stations.Count > MaxStations)
        {
            throw HubProblemException.BadRequest($"report: {report.Stations.Count} stations, at most {MaxStations}.");
        }

        for (var i = 0; i < report.Stations.Count; i++)
        {
            var s = report.Stations[i];
            var at = $"report: stations[{i}]";
            if (s is null)
            {
                throw HubProblemException.BadRequest($"{at} is null.");
            }

            Id(at, "lineId", s.LineId);
            Id(at, "stationId", s.StationId);
            Id(at, "modelName", s.ModelName);
            if (!stations.Contains((s.LineId, s.StationId)))
            {
                throw HubProblemException.BadRequest($"{at}: station '{s.LineId}/{s.StationId}' is not registered in the edge's plant.");
            }

            Run($"{at}.production", s.Production ?? throw HubProblemException.BadRequest($"{at}.production is missing."));
            if (s.Shadow is { } shadow)
            {
                Run($"{at}.shadow", shadow);
            }

            if (s.Compared < 0 || s.Agreed < 0 || s.Agreed > s.Compared)
            {
                throw HubProblemException.BadRequest($"{at}: agreed ({s.Agreed}) must be between 0 and compared ({s.Compared}).");
            }

            if ((s.Failures?.Count ?? 0) > MaxFailures || s.Failures?.Any(f => f is null || !ModelManifest.IsId(f.PackageId) || Text(f.Stage, 32) || Text(f.Reason, MaxText)) == true)
            {
                throw HubProblemException.BadRequest($"{at}.failures: at most {MaxFailures}, each with a package id, a stage and a reason of at most {MaxText} characters.");
            }

            if ((s.Inputs?.Count ?? 0) > MaxFeatures)
            {
                throw HubProblemException.BadRequest($"{at}.inputs: at most {MaxFeatures} features.");
            }

            foreach (var input in s.Inputs ?? [])
            {
                if (input is null || Text(input.Feature, 200))
                {
                    throw HubProblemException.BadRequest($"{at}.inputs: a feature needs a name of at most 200 characters.");
                }

                Histogram($"{at}.inputs['{ControlCharacters.Escape(input.Feature)}'].calibration", input.Calibration, FeatureDistribution.ZBounds);
                Histogram($"{at}.inputs['{ControlCharacters.Escape(input.Feature)}'].live", input.Live, FeatureDistribution.ZBounds);
            }
        }
    }

    private static void Run(string at, ModelRunStats run)
    {
        if (run.PackageId is { } id && !ModelManifest.IsId(id))
        {
            throw HubProblemException.BadRequest($"{at}.packageId '{ControlCharacters.Escape(id)}' is not a package id (64 lower-case hex digits).");
        }

        if (Text(run.Version, 64) || run.Frames < 0 || run.Errors < 0 || run.Positives < 0 || run.Positives > run.Frames)
        {
            throw HubProblemException.BadRequest($"{at}: version must be at most 64 characters, frames, errors and positives at least 0, positives at most frames.");
        }

        Histogram($"{at}.scores", run.Scores, StandardHistograms.ScoreBounds);
        Histogram($"{at}.latencyMs", run.LatencyMs, StandardHistograms.LatencyMsBounds);
    }

    private static void Histogram(string at, HistogramData? h, IReadOnlyList<double> bounds)
    {
        if (h is null || !StandardHistograms.SameBounds(h.Bounds, bounds))
        {
            throw HubProblemException.BadRequest($"{at}: missing or not over the standard bounds.");
        }

        try
        {
            MergeableHistogram.FromData(h);
        }
        catch (ArgumentException ex)
        {
            throw HubProblemException.BadRequest($"{at}: {ex.Message}");
        }
    }

    private static void Id(string at, string field, string? value)
    {
        if (EntityId.Problem($"{at}.{field}", value) is { } problem)
        {
            throw HubProblemException.BadRequest(problem);
        }
    }

    private static bool Text(string? value, int max) => value is null || value.Length > max || ControlCharacters.Any(value);
}
