using AiFactory.Contracts;
using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Edge.Uplink.Windows;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Windows;

[Trait("Category", "Unit")]
public sealed class RawUploadTests : IDisposable
{
    private static readonly StationIdentity Pump = new("acme", "plant-1", "line-1", "pump-1");
    private static readonly StationIdentity Press = new("acme", "plant-1", "line-1", "press-1");

    private readonly FakeTimeProvider _time = new();
    private readonly ListOutbox _outbox = new();
    private readonly WindowSummarizer _summarizer;

    public RawUploadTests()
    {
        _summarizer = new WindowSummarizer(new WindowSummarizerOptions { EdgeId = "edge-7" }, _outbox, _time);
    }

    public void Dispose() => _summarizer.Dispose();

    [Fact]
    public void OnlyAStationThatOptedIn_SendsItsFrames_AsRawChunksOfItsWindow()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0", rawTags: ["pump/acc1", "pump/flow"]);
        _summarizer.AddStation(Press, "pump-anomaly", "1.0.0");
        _summarizer.Start();
        var t = _time.GetUtcNow();
        _summarizer.OnFrame("pump-1", t.AddMilliseconds(1), [0.21, 32.5]);
        _summarizer.OnFrame("pump-1", t.AddMilliseconds(2), [double.NaN, 32.6]);
        _summarizer.OnFrame("press-1", t.AddMilliseconds(2), [1.0, 2.0]);
        _summarizer.OnFrame("pump-1", t.AddMilliseconds(3), [1.0]); // wrong width: not the station's frame shape, ignored

        _time.Advance(TimeSpan.FromSeconds(10));

        var raw = Assert.Single(_outbox.All, i => i.Raw is not null).Raw!;
        Assert.Equal(("acme", "plant-1", "line-1", "pump-1"), (raw.CompanyId, raw.PlantId, raw.LineId, raw.StationId));
        Assert.Equal(["pump/acc1", "pump/flow"], raw.Tags);
        Assert.Equal(2, raw.Rows.Count);
        Assert.Equal(t.AddMilliseconds(1), raw.Rows[0].Time);
        Assert.Equal([0.21, 32.5], raw.Rows[0].Values);
        Assert.Equal([null, 32.6], raw.Rows[1].Values);
        Assert.Equal(1, _summarizer.RawChunksWritten);
        Assert.DoesNotContain(_outbox.All, i => i.Raw is { StationId: "press-1" });
    }

    [Fact]
    public void ManyFrames_AreCutIntoChunksOfAtMostTheChunkSize_InOrder()
    {
        _summarizer.AddStation(Pump, "pump-anomaly", "1.0.0", rawTags: ["a"]);
        _summarizer.Start();
        var t = _time.GetUtcNow();
        for (var i = 0; i < WindowSummarizer.MaxRawRowsPerChunk + 5; i++)
        {
            _summarizer.OnFrame("pump-1", t.AddTicks(i), [i]);
        }

        _summarizer.Flush();

        var chunks = _outbox.All.Where(i => i.Raw is not null).Select(i => i.Raw!).ToList();
        Assert.Equal([WindowSummarizer.MaxRawRowsPerChunk, 5], chunks.Select(c => c.Rows.Count));
        Assert.Equal(WindowSummarizer.MaxRawRowsPerChunk, chunks[1].Rows[0].Values[0]);
    }

    [Fact]
    public void RawChunk_SurvivesTheOutboxPayload_RoundTrip()
    {
        var chunk = new StationRawChunk("acme", "plant-1", "line-1", "pump-1", ["a", "b"], [new RawRow(Records.T0, [1.5, null])]);
        var (kind, payload) = OutboxPayload.Encode(OutboxItem.Of(chunk));

        var back = OutboxPayload.Decode(new OutboxEntry(42, Records.T0, kind, payload), out var problem);

        Assert.Null(problem);
        Assert.Equal(OutboxRecordKind.Raw, kind);
        Assert.Equal(42, back!.Sequence);
        Assert.Null(back.Summary);
        Assert.Equal(["a", "b"], back.Raw!.Tags);
        Assert.Equal([1.5, null], back.Raw.Rows[0].Values);
    }
}
