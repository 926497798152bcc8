using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Tags;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>A tag's <c>source</c> and <c>type</c>: what is kept, and one test per bad value naming the key and the problem.</summary>
[Trait("Category", "Unit")]
public sealed class TagSourceAndTypeConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-tagtype-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_SourceAndBoolType_AreKeptAndBoolDefaultsToZeroToOne()
    {
        var config = EdgeConfigReader.Read(Write("  - {name: pump-1/Accelerometer1RMS, source: sim, type: bool}"));

        var tag = Assert.Single(config.Tags);
        Assert.Equal(new TagDefinition("pump-1/Accelerometer1RMS", Min: 0, Max: 1, Type: TagDataType.Bool, Source: "sim"), tag);
    }

    [Fact]
    public void Read_IntTypeWithRange_KeepsTheRange()
    {
        var config = EdgeConfigReader.Read(Write("  - {name: pump-1/Accelerometer1RMS, type: int, min: -5, max: 5}"));

        Assert.Equal(new TagDefinition("pump-1/Accelerometer1RMS", Min: -5, Max: 5, Type: TagDataType.Int), Assert.Single(config.Tags));
    }

    [Theory]
    [InlineData("  - {name: pump-1/Accelerometer1RMS, source: nope}", "tags[0].source: 'nope' is not a configured source (hint: sources: sim, sim-2)")]
    [InlineData("  - {name: pump-1/Accelerometer1RMS, source: sim-2}", "tags[0].name: source 'sim-2' produces no tag 'pump-1/Accelerometer1RMS' (hint: it produces: pump-2/Accelerometer1RMS, ")]
    [InlineData("  - {name: pump-1/Accelerometer1RMS, type: double}", "tags[0].type: 'double' is not a tag data type (hint: float, int (whole numbers) or bool (0 or 1))")]
    [InlineData("  - {name: pump-1/Accelerometer1RMS, type: [int]}", "tags[0].type: must be a single value")]
    public void Read_BadSourceOrType_NamesKeyAndProblem(string tags, string expected)
    {
        var file = Write(tags);

        var ex = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file));

        Assert.Contains(ex.Problems, p => p.StartsWith($"{file}:", StringComparison.Ordinal) && p.Contains($": {expected}", StringComparison.Ordinal));
    }

    private string Write(string tags)
    {
        var path = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(path, $"""
            sources:
              - name: sim
                type: simulator
                kind: pump
                station: pump-1
              - name: sim-2
                type: simulator
                kind: pump
                station: pump-2
            tags:
            {tags}
            stations:
              - name: pump-1
                model: {RepoPaths.Model("pump-vibration-flow")}
                tags:
                  Accelerometer1RMS: pump-1/Accelerometer1RMS
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1/Volume Flow RateRMS

            """);
        return path;
    }
}
