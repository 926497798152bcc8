using System.Text.Json;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Live;

/// <summary>The JSON a verdict is published as: station, model and version, time, latency, and the verdict itself.</summary>
public static class ResultJson
{
    /// <summary>Writes one anomaly verdict as a JSON object.</summary>
    public static void Write(Utf8JsonWriter w, AnomalyResult r)
    {
        w.WriteStartObject();
        Common(w, r.Station, r.Model, r.ModelVersion, r.Timestamp, r.Timing.Total.TotalMilliseconds);
        w.WriteString("verdict", r.Error is not null ? "error" : r.Anomaly ? "anomaly" : "normal");
        w.WriteNumber("score", Finite(r.Score));
        w.WriteNumber("threshold", Finite(r.Threshold));
        w.WriteBoolean("imputed", r.Imputed);
        if (r.Error is not null)
        {
            w.WriteString("error", r.Error);
        }

        w.WriteEndObject();
    }

    /// <summary>Writes one part verdict as a JSON object.</summary>
    public static void Write(Utf8JsonWriter w, ClassificationResult r, IReadOnlyList<string> classes)
    {
        w.WriteStartObject();
        Common(w, r.Station, r.Model, r.ModelVersion, r.Timestamp, r.Timing.Total.TotalMilliseconds);
        w.WriteNumber("part", r.Index);
        w.WriteString("class", r.Error is null ? r.ClassName : "error");
        w.WriteNumber("confidence", r.Error is null ? r.Confidence : 0);
        w.WriteStartObject("probabilities");
        for (var i = 0; i < classes.Count && i < r.Probabilities.Length; i++)
        {
            w.WriteNumber(classes[i], r.Probabilities[i]);
        }

        w.WriteEndObject();
        if (r.Error is not null)
        {
            w.WriteString("error", r.Error);
        }

        w.WriteEndObject();
    }

    private static void Common(Utf8JsonWriter w, string station, string model, string version, DateTimeOffset time, double latencyMs)
    {
        w.WriteString("station", station);
        w.WriteString("model", model);
        w.WriteString("version", version);
        w.WriteString("time", time);
        w.WriteNumber("latency_ms", Math.Round(latencyMs, 3));
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
