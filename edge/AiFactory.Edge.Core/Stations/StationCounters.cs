namespace AiFactory.Edge.Core.Stations;

/// <summary>What a station saw: samples, imputed non-finite values, scoring failures. Safe to read from any thread.</summary>
public sealed class StationCounters
{
    private long _samples;
    private long _nonFiniteValues;
    private long _failures;
    private long _anomalies;

    public long Samples => Interlocked.Read(ref _samples);

    public long NonFiniteValues => Interlocked.Read(ref _nonFiniteValues);

    public long Failures => Interlocked.Read(ref _failures);

    public long Anomalies => Interlocked.Read(ref _anomalies);

    internal void Sample() => Interlocked.Increment(ref _samples);

    internal void NonFinite() => Interlocked.Increment(ref _nonFiniteValues);

    internal void Failure() => Interlocked.Increment(ref _failures);

    internal void Anomaly() => Interlocked.Increment(ref _anomalies);
}
