using AiFactory.Edge.Core.Frames;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Core.Tests.Frames;

[Trait("Category", "Unit")]
public sealed class FrameAlignerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TagSample At(string tag, double ms, double value, SampleQuality quality = SampleQuality.Good) => new(tag, T0.AddMilliseconds(ms), value, quality);

    private static List<AlignedFrame> Feed(FrameAligner aligner, params TagSample[] samples)
    {
        var frames = new List<AlignedFrame>();
        foreach (var s in samples)
        {
            if (aligner.TryAdd(s, out var frame))
            {
                frames.Add(frame);
            }
        }

        return frames;
    }

    [Fact]
    public void SampleFrames_EveryTagFresh_CloseInFeatureOrderAtNewestTime()
    {
        var aligner = new FrameAligner("s", ["a", "b"], new FrameOptions());

        var frames = Feed(aligner, At("b", 5, 2), At("a", 0, 1), At("a", 100, 3), At("b", 104, 4));

        Assert.Equal(2, frames.Count);
        Assert.Equal([1.0, 2.0], frames[0].Values);
        Assert.Equal(T0.AddMilliseconds(5), frames[0].Timestamp);
        Assert.Equal([3.0, 4.0], frames[1].Values);
        Assert.Equal(2, aligner.Counters.Built);
    }

    [Fact]
    public void SampleFrames_TagSkewedBeyondLimitWithDrop_DropsTheFrame()
    {
        var aligner = new FrameAligner("s", ["a", "b"], new FrameOptions { MaxSkew = TimeSpan.FromMilliseconds(10), Missing = MissingValuePolicy.Drop });

        var frames = Feed(aligner, At("a", 0, 1), At("b", 11, 2), At("a", 20, 3), At("b", 30, 4));

        var kept = Assert.Single(frames);
        Assert.Equal([3.0, 4.0], kept.Values);
        Assert.Equal(1, aligner.Counters.DroppedMissing);
    }

    [Fact]
    public void SampleFrames_TagRepeatsBeforeOthersWithHoldLast_HoldsTheirLastValue()
    {
        var aligner = new FrameAligner("s", ["a", "b"], new FrameOptions());

        var frames = Feed(aligner, At("a", 0, 1), At("b", 0, 2), At("a", 100, 3), At("a", 200, 5));

        Assert.Equal(2, frames.Count);
        Assert.Equal([3.0, 2.0], frames[1].Values);
        Assert.Equal(T0.AddMilliseconds(100), frames[1].Timestamp);
        Assert.Equal(1, aligner.Counters.Held);
    }

    [Fact]
    public void SampleFrames_HeldValueOlderThanStaleness_DropsTheFrameAsStale()
    {
        var aligner = new FrameAligner("s", ["a", "b"], new FrameOptions { StaleAfter = TimeSpan.FromMilliseconds(150) });

        var frames = Feed(aligner, At("a", 0, 1), At("b", 0, 2), At("a", 100, 3), At("a", 200, 4), At("a", 300, 5));

        Assert.Equal(2, frames.Count); // the first, and a=3 holding b=2 (100 ms old)
        Assert.Equal(1, aligner.Counters.DroppedStale); // a=4 would hold b=2 at 200 ms
    }

    [Fact]
    public void SampleFrames_TagNeverSeenWithHoldLast_DropsAsStale()
    {
        var aligner = new FrameAligner("s", ["a", "b"], new FrameOptions());

        var frames = Feed(aligner, At("a", 0, 1), At("a", 100, 2));

        Assert.Empty(frames);
        Assert.Equal(1, aligner.Counters.DroppedStale);
    }

    [Fact]
    public void SampleFrames_BadOrOutOfRangeValue_IsNotFreshAndNotHeld()
    {
        var aligner = new FrameAligner("s", ["a", "b"], new FrameOptions());

        var frames = Feed(aligner, At("a", 0, 1), At("b", 0, 2), At("b", 90, 99, SampleQuality.OutOfRange), At("a", 100, 3), At("b", 110, double.NaN, SampleQuality.Bad), At("b", 120, 4));

        Assert.Equal(2, frames.Count);
        Assert.Equal([3.0, 4.0], frames[1].Values);
    }

    [Fact]
    public void PartFrames_TriggerCloses_WithValuesSinceLastPart()
    {
        var aligner = new FrameAligner("s", ["a", "b"], new FrameOptions { Kind = FrameKind.Part, Trigger = "done", Missing = MissingValuePolicy.Drop });

        var frames = Feed(aligner, At("a", 0, 1), At("b", 1, 2), At("a", 2, 7), At("done", 3, 1), At("a", 10, 3), At("done", 11, 1));

        var part = Assert.Single(frames);
        Assert.Equal([7.0, 2.0], part.Values);
        Assert.Equal(T0.AddMilliseconds(3), part.Timestamp);
        Assert.Equal(1, aligner.Counters.DroppedMissing);
    }

    [Fact]
    public void PartFrames_ValueOlderThanSkewWithHoldLast_IsHeld()
    {
        var aligner = new FrameAligner("s", ["a"], new FrameOptions { Kind = FrameKind.Part, Trigger = "done", MaxSkew = TimeSpan.FromMilliseconds(5) });

        var frames = Feed(aligner, At("a", 0, 1), At("done", 50, 1));

        Assert.Equal([1.0], Assert.Single(frames).Values);
        Assert.Equal(1, aligner.Counters.Held);
    }

    [Fact]
    public void Create_PartFramesWithoutTrigger_NamesStationAndProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FrameAligner("plate-1", ["a"], new FrameOptions { Kind = FrameKind.Part }));

        Assert.Equal("station 'plate-1': part frames need a trigger tag", ex.Message);
    }

    [Fact]
    public void Uses_FeatureAndTrigger_AreUsedOthersNot()
    {
        var aligner = new FrameAligner("s", ["a"], new FrameOptions { Kind = FrameKind.Part, Trigger = "done" });

        Assert.True(aligner.Uses("a"));
        Assert.True(aligner.Uses("done"));
        Assert.False(aligner.Uses("b"));
    }
}
