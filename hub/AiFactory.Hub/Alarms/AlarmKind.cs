namespace AiFactory.Hub.Alarms;

/// <summary>What an alarm rule watches.</summary>
public enum AlarmKind
{
    /// <summary>Anomalous frames / frames over the last minute, above the threshold (a fraction 0–1).</summary>
    AnomalyRate,

    /// <summary>Pass / (pass + fail) over the last minute, below the threshold (a fraction 0–1).</summary>
    FirstPassYield,

    /// <summary>Edges feeding the scope that the hub declared offline, above the threshold (0: any).</summary>
    EdgeOffline,

    /// <summary>The largest outbox backlog (records) of the edges feeding the scope, above the threshold.</summary>
    OutboxBacklog,

    /// <summary>Data-quality problems (stale, out of range, NaN, gaps, decode errors) in the current and the previous minute, above the threshold.</summary>
    DataQuality,

    /// <summary>
    /// The largest population stability index (PSI) of one input of a station's production model against the model's
    /// calibration, over the stations in the scope whose edge reported enough samples, above the threshold (a PSI;
    /// 0.25 is the usual alarm level, <c>DriftMeasure.AlarmPsi</c>).
    /// </summary>
    Drift,
}
