using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tags;

namespace AiFactory.Edge.Core.Tests.Stations;

[Trait("Category", "Unit")]
public sealed class FrameAlignerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly List<AlignedFrame> _frames = [];

    private static FrameAligner Aligner(AlignmentOptions options, string? trigger = null, TagTable? table = null) =>
        new("s1", ["a", "b"], trigger, options, table ?? new TagTable([]));

    private void Feed(FrameAligner aligner, string tag, double ms, double value = 1, bool usable = true) =>
        aligner.Add(new TagSample(tag, T0.AddMilliseconds(ms), value), usable, _frames);

    [Fact]
    public void WithoutSkew_AFrameWaitsForEveryTag()
    {
        var aligner = Aligner(new AlignmentOptions());

        Feed(aligner, "a", 0, 1);
        Feed(aligner, "a", 500, 2);
        Feed(aligner, "b", 5000, 3);

        var frame = Assert.Single(_frames);
        Assert.Equal([2.0, 3.0], frame.Values);
        Assert.Equal(T0.AddMilliseconds(5000), frame.Time);
    }

    [Fact]
    public void SkewPassed_HoldLast_UsesTheLastValueOfTheMissingTag()
    {
        var aligner = Aligner(new AlignmentOptions(TimeSpan.FromMilliseconds(100)));
        Feed(aligner, "a", 0, 1);
        Feed(aligner, "b", 10, 2);

        Feed(aligner, "a", 200, 3);
        Feed(aligner, "a", 400, 4);

        Assert.Equal(2, _frames.Count);
        Assert.Equal([3.0, 2.0], _frames[1].Values);
        Assert.Equal(T0.AddMilliseconds(300), _frames[1].Time);
    }

    [Fact]
    public void SkewPassed_Drop_DropsTheFrameAndCountsIt()
    {
        var aligner = Aligner(new AlignmentOptions(TimeSpan.FromMilliseconds(100), MissingTagPolicy.Drop));
        Feed(aligner, "a", 0, 1);
        Feed(aligner, "b", 10, 2);

        Feed(aligner, "a", 200, 3);
        Feed(aligner, "a", 400, 4);
        Feed(aligner, "b", 450, 5);

        Assert.Equal([[1.0, 2.0], [4.0, 5.0]], _frames.Select(f => f.Values).ToArray());
        Assert.Equal(1, aligner.FramesDroppedMissing);
    }

    [Fact]
    public void HeldValueOlderThanStaleLimit_DropsTheFrame_AndCountsStaleOnTheTag()
    {
        var table = new TagTable([new TagDefinition("b", StaleAfter: TimeSpan.FromMilliseconds(500))]);
        var aligner = Aligner(new AlignmentOptions(TimeSpan.FromMilliseconds(100)), table: table);
        Feed(aligner, "a", 0);
        Feed(aligner, "b", 0);

        Feed(aligner, "a", 1000);
        Feed(aligner, "a", 1200);

        Assert.Single(_frames);
        Assert.Equal(1, aligner.FramesDroppedStale);
        Assert.Equal(1, table.Quality("b").Snapshot().Stale);
    }

    [Fact]
    public void Trigger_ClosesAPartFrame_HoldingUnchangedTags()
    {
        var aligner = Aligner(new AlignmentOptions(), trigger: "done");
        Feed(aligner, "a", 0, 1);
        Feed(aligner, "b", 0, 2);
        Feed(aligner, "done", 10);
        Feed(aligner, "a", 20, 3);
        Feed(aligner, "done", 30);

        Assert.Equal([[1.0, 2.0], [3.0, 2.0]], _frames.Select(f => f.Values).ToArray());
    }

    [Fact]
    public void Trigger_WithDropPolicy_DropsAPartMissingATag_AndBeforeAnyValue()
    {
        var aligner = Aligner(new AlignmentOptions(Missing: MissingTagPolicy.Drop), trigger: "done");
        Feed(aligner, "done", 0);
        Feed(aligner, "a", 5, 1);
        Feed(aligner, "b", 6, 2);
        Feed(aligner, "done", 10);
        Feed(aligner, "a", 20, 3);
        Feed(aligner, "done", 30);

        Assert.Equal([[1.0, 2.0]], _frames.Select(f => f.Values).ToArray());
        Assert.Equal(2, aligner.FramesDroppedMissing);
    }

    [Fact]
    public void UnusableSample_IsNotUsedForAFrame()
    {
        var aligner = Aligner(new AlignmentOptions());
        Feed(aligner, "a", 0, 1);
        Feed(aligner, "b", 1, double.NaN, usable: false);
        Feed(aligner, "b", 2, 7);

        Assert.Equal([1.0, 7.0], Assert.Single(_frames).Values);
    }
}
