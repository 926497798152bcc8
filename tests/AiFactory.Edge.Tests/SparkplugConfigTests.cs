using AiFactory.Edge.Config;

namespace AiFactory.Edge.Tests;

[Trait("Category", "Unit")]
public sealed class SparkplugConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_SparkplugSubscription_DeclaresItsTags()
    {
        var config = EdgeConfigReader.Read(Write("line1/edge-7/pump-1:Flow"));

        Assert.Equal(["pump-1/flow"], Assert.Single(config.Sources).Tags);
    }

    [Fact]
    public void Read_SparkplugMetricWithoutColon_NamesKeyAndProblem()
    {
        var file = Write("line1/edge-7/pump-1/Flow");

        var ex = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file));

        Assert.Contains(
            $"{file}:7:11: sources[0].subscriptions[0].sparkplug_b.tags: Sparkplug B metric 'line1/edge-7/pump-1/Flow' (tag 'pump-1/flow') must look like group/node[/device]:metric name (hint: pump-1/flow: line1/edge-7/pump-1:Flow (group/node[/device]:metric))",
            ex.Problems);
    }

    private string Write(string metric)
    {
        var path = Path.Combine(_dir, "sparkplug.yaml");
        File.WriteAllText(path, $"""
            sources:
              - name: plant
                type: mqtt
                subscriptions:
                  - topic: spBv1.0/line1/#
                    sparkplug_b:
                      tags:
                        pump-1/flow: "{metric}"
            stations: []
            """);
        return path;
    }
}
