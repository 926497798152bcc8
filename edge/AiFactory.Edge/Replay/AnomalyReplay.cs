using System.Globalization;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;

namespace AiFactory.Edge.Replay;

/// <summary>Replays files through an anomaly station (one file = one asset), writes datetime,anomaly,score per row, and scores against labels.</summary>
public sealed class AnomalyReplay(ModelPackage package, TextWriter console)
{
    private readonly ConfusionCounts _total = new();
    private readonly List<(string File, ConfusionCounts Counts, double Threshold)> _perFile = [];
    private readonly FamilyCounts _families = new();

    public async Task ReplayAsync(ReplayInput input, string outputPath, CancellationToken cancellationToken)
    {
        var card = package.Card;
        var rows = input.Table.Rows;
        var results = new AnomalyResult[rows.Count];
        var station = new AnomalyStation(input.RelativePath, card, package.Batcher, r => results[r.Index] = r);
        var time = input.Table.Column("datetime");
        var start = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < rows.Count; i++)
        {
            await station.AddAsync(start.AddSeconds(i), input.Values(rows[i]), cancellationToken).ConfigureAwait(false);
        }

        await station.FlushAsync().ConfigureAwait(false);
        if (station.Calibrating)
        {
            await console.WriteLineAsync($"{input.Table.Path}: only {rows.Count} rows, fewer than the {card.Calibration!.Samples} calibration samples model '{card.Name}' needs; no verdicts written").ConfigureAwait(false);
            return;
        }

        await using (var writer = new StreamWriter(outputPath))
        {
            await writer.WriteLineAsync("datetime,anomaly,score").ConfigureAwait(false);
            for (var i = 0; i < rows.Count; i++)
            {
                var stamp = time is { } t ? rows[i].Field(t) : i.ToString(CultureInfo.InvariantCulture);
                var r = results[i];
                await writer.WriteLineAsync($"{stamp},{(r.Anomaly ? 1 : 0)},{r.Score.ToString("R", CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            }
        }

        var labels = card.Labels?.AnomalyColumn is { Length: > 0 } name ? input.Table.Column(name) : null;
        if (labels is null)
        {
            return;
        }

        var counts = new ConfusionCounts();
        for (var i = card.Calibration!.Samples; i < rows.Count; i++)
        {
            if (double.TryParse(rows[i].Field(labels.Value), NumberStyles.Float, CultureInfo.InvariantCulture, out var truth))
            {
                counts.Add(results[i].Anomaly, truth >= 0.5);
            }
        }

        _total.Add(counts);
        _families.Add(input.RelativePath, counts);
        _perFile.Add((input.RelativePath, counts, station.Threshold));
    }

    public async Task PrintMetricsAsync()
    {
        if (_perFile.Count == 0)
        {
            return;
        }

        await console.WriteLineAsync($"{"file",-24} {"TP",6} {"FP",6} {"FN",6} {"TN",6} {"threshold",12}").ConfigureAwait(false);
        foreach (var (file, c, threshold) in _perFile)
        {
            await console.WriteLineAsync($"{file,-24} {c.TruePositives,6} {c.FalsePositives,6} {c.FalseNegatives,6} {c.TrueNegatives,6} {threshold,12:F6}").ConfigureAwait(false);
        }

        if (_families.Families.Count > 0)
        {
            await console.WriteLineAsync($"{"family",-24} {"TP",6} {"FP",6} {"FN",6} {"TN",6} {"files",6} {"F1",7} {"FAR %",7} {"MAR %",7}").ConfigureAwait(false);
            foreach (var (family, files, c) in _families.Families)
            {
                await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{family,-24} {c.TruePositives,6} {c.FalsePositives,6} {c.FalseNegatives,6} {c.TrueNegatives,6} {files,6} {c.F1,7:F4} {c.FalseAlarmRate * 100,7:F2} {c.MissedAlarmRate * 100,7:F2}")).ConfigureAwait(false);
            }
        }

        var t = _total;
        await console.WriteLineAsync($"{"total (test parts)",-24} {t.TruePositives,6} {t.FalsePositives,6} {t.FalseNegatives,6} {t.TrueNegatives,6}").ConfigureAwait(false);
        await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"SKAB protocol over {_perFile.Count} file(s), rows after the first {package.Card.Calibration!.Samples}: F1 {t.F1:F4}  FAR {t.FalseAlarmRate * 100:F2} %  MAR {t.MissedAlarmRate * 100:F2} %")).ConfigureAwait(false);
    }

    public ConfusionCounts Total => _total;
}
