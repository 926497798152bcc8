using AiFactory.Contracts;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Deployments;

/// <summary>
/// Keeps each station's drift durably: per model report, the largest PSI of its judged inputs (features with enough
/// samples on both sides), summed per station and UTC hour in <c>station_drift_hours</c> with the number of reports, so
/// the alliance roll-up can average it per line and day. One upsert per report, every station of the report in one
/// transaction.
/// </summary>
public sealed class StationDriftStore(HubDatabase database)
{
    private const string Upsert = """
        INSERT INTO station_drift_hours (company_id, plant_id, line_id, station_id, hour_start, psi_sum, reports)
        VALUES (@company, @plant, @line, @station, @hour, @psi, 1)
        ON CONFLICT (company_id, plant_id, line_id, station_id, hour_start)
        DO UPDATE SET psi_sum = station_drift_hours.psi_sum + excluded.psi_sum, reports = station_drift_hours.reports + 1
        """;

    /// <summary>The station's drift figure: the largest PSI of its judged inputs, or null when none has enough samples.</summary>
    public static double? Figure(StationModelReport station)
    {
        ArgumentNullException.ThrowIfNull(station);
        double? largest = null;
        foreach (var input in station.Inputs)
        {
            var drift = DriftMeasure.Measure(input);
            if (drift.Level != DriftMeasure.TooFewSamples && (largest is null || drift.Psi > largest))
            {
                largest = drift.Psi;
            }
        }

        return largest;
    }

    /// <param name="received">When the hub received the report: its hour holds the figures.</param>
    /// <returns>How many stations' figures were recorded (those with a judged input).</returns>
    public Task<int> RecordAsync(string company, string plant, EdgeModelReport report, DateTimeOffset received, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var seconds = received.ToUnixTimeSeconds();
        var hour = seconds - (seconds % 3600);
        var rows = report.Stations
            .Select(s => (Station: s, Psi: Figure(s)))
            .Where(x => x.Psi is not null)
            .Select(x => new { company, plant, line = x.Station.LineId, station = x.Station.StationId, hour, psi = x.Psi!.Value })
            .ToList();
        return rows.Count == 0
            ? Task.FromResult(0)
            : database.WriteAsync(async (c, tx) => await c.ExecuteAsync(Upsert, rows, tx).ConfigureAwait(false), ct);
    }
}
