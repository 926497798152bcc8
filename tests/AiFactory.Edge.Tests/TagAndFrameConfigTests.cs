using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Frames;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>The <c>tags:</c> list and each station's <c>frame:</c>: one test per bad value, each naming the key and the problem.</summary>
[Trait("Category", "Unit")]
public sealed class TagAndFrameConfigTests : IDisposable
{
    private const string GoodTag = "  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS}";
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-tags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_TagsAndFrame_BuildSpecsImplicitTagsAndOptions()
    {
        var config = EdgeConfigReader.Read(Write(
            "  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, type: float, unit: g, scale: 2, offset: -1, min: 0, max: 9, stale_after_ms: 1500, period_ms: 100}",
            "    frame: {kind: sample, max_skew_ms: 20, missing: drop, stale_after_ms: 700}"));

        Assert.Equal(new TagSpec("acc1") { Scale = 2, Offset = -1, Min = 0, Max = 9, StaleAfter = TimeSpan.FromMilliseconds(1500), ExpectedPeriod = TimeSpan.FromMilliseconds(100) }, config.Tags["acc1"].Spec);
        Assert.Equal(new TagDefinition("pump-1/Accelerometer2RMS", "sim", "pump-1/Accelerometer2RMS", "float", null, new TagSpec("pump-1/Accelerometer2RMS")), config.Tags["pump-1/Accelerometer2RMS"]);
        Assert.Equal(new FrameOptions { MaxSkew = TimeSpan.FromMilliseconds(20), Missing = MissingValuePolicy.Drop, StaleAfter = TimeSpan.FromMilliseconds(700) }, Assert.Single(config.Stations).Frame);
    }

    [Fact]
    public void Read_WindowWithStride_KeepsTheStride()
    {
        var config = EdgeConfigReader.Read(Write(GoodTag, "    frame: {kind: window, size: 5, stride: 3}"));

        Assert.Equal(new FrameOptions { Kind = FrameKind.Window, Stride = 3 }, Assert.Single(config.Stations).Frame);
    }

    [Fact]
    public void Read_BoolTag_DefaultsToRangeZeroToOne()
    {
        var config = EdgeConfigReader.Read(Write("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, type: bool}"));

        Assert.Equal((0.0, 1.0), (config.Tags["acc1"].Spec.Min, config.Tags["acc1"].Spec.Max));
    }

    [Theory]
    [InlineData("  - {name: acc1, source: nope, address: pump-1/Accelerometer1RMS}", "tags[0].source: 'nope' is not a configured source (hint: sources: sim)")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/x}", "tags[0].address: source 'sim' produces no 'pump-1/x' (hint: it produces: pump-1/")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, type: double}", "tags[0].type: 'double' is not a tag data type (hint: float, int or bool)")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, scale: 0}", "tags[0].scale: '0' cannot scale a value (hint: a finite factor other than 0, e.g. 0.1)")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, offset: lots}", "tags[0].offset: 'lots' is not a number")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, min: 5, max: 1}", "tags[0].max: '1' is below min '5' (hint: the valid range is min ≤ value ≤ max)")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, stale_after_ms: 0}", "tags[0].stale_after_ms: '0' must be a whole number from 1 to 2147483647")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, period_ms: 1.5}", "tags[0].period_ms: '1.5' must be a whole number from 1 to 2147483647")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS, units: g}", "tags[0].units: unknown key (hint: known keys here: name, source, address, type, unit, scale, offset, min, max, stale_after_ms, period_ms)")]
    [InlineData("  - {source: sim, address: pump-1/Accelerometer1RMS}", "tags[0].name: is required")]
    [InlineData("  - {name: acc1, address: pump-1/Accelerometer1RMS}", "tags[0].source: is required (hint: one of the sources: sim)")]
    [InlineData("  - {name: acc1, source: sim}", "tags[0].address: is required (hint: the name the source gives the value")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS}\n  - {name: acc1, source: sim, address: pump-1/Accelerometer2RMS}", "tags[1].name: 'acc1' names two tags (hint: every tag needs its own name)")]
    [InlineData("  - {name: acc1, source: sim, address: pump-1/Accelerometer1RMS}\n  - {name: acc9, source: sim, address: pump-1/Accelerometer1RMS}", "tags[1].address: 'pump-1/Accelerometer1RMS' already feeds tag 'acc1' (hint: one address feeds one tag)")]
    [InlineData("  - {name: accX, source: sim, address: pump-1/Accelerometer1RMS}", "stations[0].tags.Accelerometer1RMS: tag 'acc1' is neither in tags: nor produced by a source")]
    public void Read_BadTagValue_NamesKeyAndProblem(string tags, string expected)
    {
        AssertProblem(Write(tags), expected);
    }

    [Theory]
    [InlineData("    frame: {kind: vector}", "stations[0].frame.kind: 'vector' is not a frame kind (hint: sample, window or part)")]
    [InlineData("    frame: {missing: zero}", "stations[0].frame.missing: 'zero' is not a missing-value policy (hint: hold-last or drop)")]
    [InlineData("    frame: {max_skew_ms: soon}", "stations[0].frame.max_skew_ms: 'soon' must be a whole number from 1 to 2147483647")]
    [InlineData("    frame: {stale_after_ms: -1}", "stations[0].frame.stale_after_ms: '-1' must be a whole number from 1 to 2147483647")]
    [InlineData("    frame: {kind: window, size: 4}", "stations[0].frame.size: model 'pump-anomaly' takes windows of 5 samples, not 4 (hint: size: 5, or a model whose card says input.window: 4)")]
    [InlineData("    frame: {size: 5}", "stations[0].frame.size: size applies to window frames, and these are 'sample' (hint: frame.kind: window)")]
    [InlineData("    frame: {kind: part}", "stations[0].trigger: part frames need a trigger tag (hint: trigger: <tag that says 'part complete'>)")]
    [InlineData("    trigger: acc1\n    frame: {kind: sample}", "stations[0].trigger: a trigger closes part frames, and this station's frames are 'sample' (hint: remove the trigger or set frame.kind: part)")]
    [InlineData("    frame: {kind: sample, skew: 3}", "stations[0].frame.skew: unknown key (hint: known keys here: kind, size, stride, max_skew_ms, missing, stale_after_ms)")]
    [InlineData("    frame: {kind: window, size: 5, stride: 0}", "stations[0].frame.stride: '0' must be a whole number from 1 to 100000")]
    [InlineData("    frame: {kind: sample, stride: 2}", "stations[0].frame.stride: stride applies to window frames, and these are 'sample' (hint: frame.kind: window)")]
    [InlineData("    frame: [sample]", "stations[0].frame: must be a mapping of keys to values")]
    public void Read_BadFrameValue_NamesKeyAndProblem(string frame, string expected)
    {
        AssertProblem(Write(GoodTag, frame), expected);
    }

    private static void AssertProblem(string file, string expected)
    {
        var ex = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file));

        Assert.Contains(ex.Problems, p => p.StartsWith($"{file}:", StringComparison.Ordinal) && p.Contains($": {expected}", StringComparison.Ordinal));
    }

    private string Write(string tags, string frame = "")
    {
        var path = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(path, $"""
            sources:
              - name: sim
                type: simulator
                kind: pump
                station: pump-1
            tags:
            {tags}
            stations:
              - name: pump-1
                model: {RepoPaths.Model("pump-anomaly")}
                tags:
                  Accelerometer1RMS: acc1
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1/Volume Flow RateRMS
            {frame}

            """);
        return path;
    }
}
