using AiFactory.Contracts;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Edge.Uplink.Windows;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Windows;

[Trait("Category", "Unit")]
public sealed class WindowSummarizerTests : IDisposable
{
    private static readonly StationIdentity Pump = new("acme", "plant-1", "line-1", "pump-1");
    private static readonly StationIdentity Plate = new("acme", "plant-1", "line-2", "plate-1");

    // Starts at 2026-01-02T00:00:00Z, a whole multiple of 10 s.
    private readonly FakeTimeProvider _time = new();
    private readonly ListOutbox _outbox = new();
    private readonly ListLogger _log = new();
    private readonly WindowSummarizer _summarizer;
    private readonly DateTimeOffset _start;

    public WindowSummarizerTests()
    {
        _start = _time.GetUtcNow();
        _summarizer = new WindowSummarizer(new WindowSummarizerOptions { EdgeId = "edge-7", ScoreBounds = [0.25, 0.5, 1], LatencyBoundsMs = [1, 10] }, _outbox, _time, _log);
    }

    public void Dispose() => _summarizer.Dispose();

    [Fact]
    public void AnomalyResults_InOneWindow_BecomeOneSummaryAndOneEventPerAnomalyAtTheWindowEnd()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0");
        _summarizer.Start();
        _time.Advance(TimeSpan.FromSeconds(1));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false, latencyMs: 0.5));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.3, false, latencyMs: 2));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.4, false, latencyMs: 3));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.7, true, latencyMs: 12, at: Records.T0.AddSeconds(3)));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 4.0, true, latencyMs: 20, at: Records.T0.AddSeconds(4)));
        _time.Advance(TimeSpan.FromSeconds(8.999));
        Assert.Empty(_outbox.Appends);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        var items = Assert.Single(_outbox.Appends);
        Assert.Equal(3, items.Count);
        var s = items[0].Summary!;
        Assert.Equal(("edge-7", "acme", "plant-1", "line-1", "pump-1"), (s.EdgeId, s.CompanyId, s.PlantId, s.LineId, s.StationId));
        Assert.Equal(("pump-anomaly", "1.0.0"), (s.ModelName, s.ModelVersion));
        Assert.Equal((_start, _start.AddSeconds(10)), (s.WindowStartUtc, s.WindowEndUtc));
        Assert.Equal((5, 3, 2, 2), (s.FramesScored, s.PassCount, s.FailCount, s.AnomalyCount));
        Assert.Empty(s.ClassCounts);
        Assert.Equal([1L, 2, 1, 1], s.Scores.Counts);
        Assert.Equal(5, s.Scores.Count);
        Assert.Equal(5.5, s.Scores.Sum, 9);
        Assert.Equal((0.1, 4.0), (s.Scores.Min, s.Scores.Max));
        Assert.Equal([1L, 2, 2], s.LatencyMs.Counts);
        Assert.Equal(37.5, s.LatencyMs.Sum, 9);
        Assert.Empty(s.DataQuality);
        Assert.Equal(
            [new StationEvent("acme", "plant-1", "line-1", "pump-1", Records.T0.AddSeconds(3), "anomaly", 0.7, null, "pump-anomaly", "1.0.0"), new StationEvent("acme", "plant-1", "line-1", "pump-1", Records.T0.AddSeconds(4), "anomaly", 4.0, null, "pump-anomaly", "1.0.0")],
            items.Skip(1).Select(i => i.Event!).ToArray());
    }

    [Fact]
    public void Classifications_PassClassesPass_EveryOtherClassIsADefectWithAnEvent()
    {
        _summarizer.AddStation(Plate, "steel-defects", "1.0.0", passClasses: ["ok"]);
        _summarizer.Start();
        _summarizer.OnClassification(Results.Part("plate-1", 0, "ok", 0.9f));
        _summarizer.OnClassification(Results.Part("plate-1", 0, "ok", 0.8f));
        _summarizer.OnClassification(Results.Part("plate-1", 1, "scratch", 0.6f));
        _summarizer.OnClassification(Results.Part("plate-1", -1, string.Empty, 0f, error: "model failed"));

        _time.Advance(TimeSpan.FromSeconds(10));

        var items = Assert.Single(_outbox.Appends);
        var s = items[0].Summary!;
        Assert.Equal((3, 2, 1, 0), (s.FramesScored, s.PassCount, s.FailCount, s.AnomalyCount));
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 2, ["scratch"] = 1 }, s.ClassCounts);
        var defect = items[1].Event!;
        Assert.Equal(("defect", "scratch", "line-2"), (defect.Kind, defect.Class, defect.LineId));
        Assert.Equal(0.6, defect.Score, 6);
        Assert.Equal(1, _summarizer.Skipped("plate-1"));
    }

    [Fact]
    public void CalibrationSamplesAndUnscoredFrames_AreSkippedNotCounted()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0");
        _summarizer.Start();
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false, calibrating: true));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", double.NaN, false, error: "NaN feature"));
        _summarizer.OnAnomaly(Results.Anomaly("other-station", 0.1, false));

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Empty(_outbox.Appends);
        Assert.Equal(2, _summarizer.Skipped("pump-1"));
    }

    [Fact]
    public void Counts_NameTheVerdictsSummarizedBesideCalibrationAndUnscoredResults()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0");
        _summarizer.Start();
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false, calibrating: true));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false, calibrating: true));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false, calibrating: true));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", double.NaN, false, error: "NaN feature"));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.2, false));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.9, true));

        _time.Advance(TimeSpan.FromSeconds(10));

        var counts = Assert.Single(_summarizer.Counts());
        Assert.Equal(new StationUplinkCounts("pump-1", 2, 3, 1), counts);
        Assert.Equal(6, counts.Results);
        Assert.Equal(counts.Summarized, _outbox.All.Where(i => i.Summary is not null).Sum(i => i.Summary!.FramesScored));
    }

    [Fact]
    public void EmptyWindows_AreSkipped_AndEachWindowHasItsOwnBounds()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0");
        _summarizer.Start();
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));
        _time.Advance(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(10));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(
            [(_start, _start.AddSeconds(10)), (_start.AddSeconds(20), _start.AddSeconds(30))],
            _outbox.All.Select(i => (i.Summary!.WindowStartUtc, i.Summary.WindowEndUtc)).ToArray());
    }

    [Fact]
    public void DataQuality_CumulativeCountersBecomePerWindowDeltas_AndAQualityOnlyWindowIsStillSent()
    {
        var cumulative = new List<DataQualityCounters> { new("flow", 3, 0, 0, 0, 0) };
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0", quality: () => [.. cumulative]);
        _summarizer.Start();
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));
        _time.Advance(TimeSpan.FromSeconds(10));

        // No frames in the second window, but problems: stale flow +2, a new tag with one NaN.
        cumulative = [new("flow", 5, 0, 0, 0, 0), new("temp", 0, 0, 1, 0, 0)];
        _time.Advance(TimeSpan.FromSeconds(10));

        // Nothing moved: nothing sent.
        _time.Advance(TimeSpan.FromSeconds(10));

        // The source restarted and its counters began again: the lower value is the window's count.
        cumulative = [new("flow", 1, 2, 0, 0, 0), new("temp", 0, 0, 1, 4, 0)];
        _time.Advance(TimeSpan.FromSeconds(10));

        var summaries = _outbox.All.Select(i => i.Summary!).ToArray();
        Assert.Equal(3, summaries.Length);
        Assert.Equal([new DataQualityCounters("flow", 3, 0, 0, 0, 0)], summaries[0].DataQuality);
        Assert.Equal([new DataQualityCounters("flow", 2, 0, 0, 0, 0), new DataQualityCounters("temp", 0, 0, 1, 0, 0)], summaries[1].DataQuality);
        Assert.Equal((0, "pump-anomaly", "1.0.0"), (summaries[1].FramesScored, summaries[1].ModelName, summaries[1].ModelVersion));
        Assert.Equal(0, summaries[1].Scores.Count);
        Assert.Equal([new DataQualityCounters("flow", 1, 2, 0, 0, 0), new DataQualityCounters("temp", 0, 0, 0, 4, 0)], summaries[2].DataQuality);
        Assert.Equal(_start.AddSeconds(30), summaries[2].WindowStartUtc);
    }

    [Fact]
    public void DataQuality_DelegateThatThrows_IsLoggedAndTheWindowStillGoesOut()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0", quality: () => throw new InvalidOperationException("tag table is being reloaded"));
        _summarizer.Start();
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, Assert.Single(_outbox.Appends)[0].Summary!.FramesScored);
        Assert.Contains(_log.Lines, l => l.Message == "Uplink: station pump-1: data-quality counters could not be read: tag table is being reloaded");
    }

    [Fact]
    public void ModelVersionChange_InsideAWindow_GivesOneSummaryPerVersion()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0");
        _summarizer.Start();
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.9, true, version: "1.1.0"));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.2, false, version: "1.1.0"));

        _time.Advance(TimeSpan.FromSeconds(10));

        var summaries = _outbox.All.Where(i => i.Summary is not null).Select(i => i.Summary!).ToArray();
        Assert.Equal([("1.0.0", 1L, 0L), ("1.1.0", 2L, 1L)], summaries.Select(s => (s.ModelVersion, s.FramesScored, s.AnomalyCount)).ToArray());
        Assert.Equal("1.1.0", _outbox.All.Single(i => i.Event is not null).Event!.ModelVersion);
    }

    [Fact]
    public void Flush_CommitsTheOpenWindowWithItsNominalBounds_AndLaterResultsGoToTheNextWindow()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0");
        _summarizer.Start();
        _time.Advance(TimeSpan.FromSeconds(4));
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));

        _summarizer.Flush();
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));
        _time.Advance(TimeSpan.FromSeconds(16));

        Assert.Equal(
            [(_start, _start.AddSeconds(10)), (_start.AddSeconds(10), _start.AddSeconds(20))],
            _outbox.All.Select(i => (i.Summary!.WindowStartUtc, i.Summary.WindowEndUtc)).ToArray());
    }

    [Fact]
    public void Windows_StartAtWholeMultiplesOfTheirLength_WhateverTheStartTime()
    {
        _time.Advance(TimeSpan.FromSeconds(73.5));
        using var minute = new WindowSummarizer(new WindowSummarizerOptions { EdgeId = "e", Window = TimeSpan.FromMinutes(1) }, _outbox, _time);
        minute.AddStation(Pump, "pump-anomaly", "1.0.0");
        minute.Start();
        minute.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));

        _time.Advance(TimeSpan.FromSeconds(46.5));

        var s = Assert.Single(_outbox.All).Summary!;
        Assert.Equal((_start.AddMinutes(1), _start.AddMinutes(2)), (s.WindowStartUtc, s.WindowEndUtc));
    }

    [Fact]
    public void SummariesOfManyWindows_MergeByAdditionIntoTheHistogramOfAllValues()
    {
        var all = new MergeableHistogram(WindowSummarizerOptions.DefaultScoreBounds);
        using var summarizer = new WindowSummarizer(new WindowSummarizerOptions { EdgeId = "e" }, _outbox, _time);
        summarizer.AddStation(Pump, "pump-anomaly", "1.0.0");
        summarizer.Start();
        var random = new Random(11);
        for (var window = 0; window < 5; window++)
        {
            for (var i = 0; i < 200; i++)
            {
                var score = random.NextDouble() * 3;
                all.Record(score);
                summarizer.OnAnomaly(Results.Anomaly("pump-1", score, score > 1));
            }

            _time.Advance(TimeSpan.FromSeconds(10));
        }

        var merged = new MergeableHistogram(WindowSummarizerOptions.DefaultScoreBounds);
        foreach (var s in _outbox.All.Where(i => i.Summary is not null))
        {
            merged.Merge(MergeableHistogram.FromData(s.Summary!.Scores));
        }

        Assert.Equal(all.Counts, merged.Counts);
        Assert.Equal(1000, merged.Count);
        Assert.Equal(all.Sum, merged.Sum, 9);
        Assert.Equal(all.Percentile(0.99), merged.Percentile(0.99), 12);
    }

    [Fact]
    public void OutboxFailure_IsCountedAndLogged_NeverThrown()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0");
        _summarizer.Start();
        _summarizer.OnAnomaly(Results.Anomaly("pump-1", 0.1, false));
        _outbox.FailWith = new IOException("disk full");

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, _summarizer.AppendFailures);
        Assert.Equal(0, _summarizer.SummariesWritten);
        Assert.Contains(_log.Lines, l => l.Message.StartsWith("Uplink: station pump-1: cannot store the window 2026-01-02T00:00:00.0000000+00:00..2026-01-02T00:00:10.0000000+00:00 in the outbox: disk full", StringComparison.Ordinal));
    }

    [Fact]
    public void Window_ThatDoesNotDivideADay_IsRefusedNamingTheRule()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowSummarizer(new WindowSummarizerOptions { EdgeId = "e", Window = TimeSpan.FromSeconds(7) }, _outbox, _time));

        Assert.Contains("must be at least 1 s and divide a day evenly", ex.Message, StringComparison.Ordinal);
    }
}
