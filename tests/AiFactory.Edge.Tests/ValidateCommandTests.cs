using AiFactory.Edge.Config;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

[Trait("Category", "Unit")]
public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("simulator.yaml")]
    [InlineData("modbus-rtu-line.yaml")]
    public async Task Validate_ShippedExamples_AreValid(string file)
    {
        var (exit, output) = await CliRunner.RunAsync("validate", "--config", Path.Combine(RepoPaths.Root, "edge", "configs", file));

        Assert.Equal(0, exit);
        Assert.Contains(": ok — ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MqttExampleWithSecretFromEnvironment_BuildsSourcesAndStations()
    {
        Environment.SetEnvironmentVariable("MQTT_PASSWORD", "s3cret");
        try
        {
            var config = EdgeConfigReader.Read(Path.Combine(RepoPaths.Root, "edge", "configs", "mqtt-line.yaml"));

            var source = Assert.Single(config.Sources);
            Assert.Equal(["pump-1/acc1", "pump-1/acc2", "pump-1/flow"], source.Tags);
            Assert.Equal("pump-1/flow", Assert.Single(config.Stations).FeatureTags["Volume Flow RateRMS"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MQTT_PASSWORD", null);
        }
    }

    [Fact]
    public async Task Validate_BrokenFile_ReportsEveryProblemWithLineKeyAndHint()
    {
        var file = Write("""
            sources:
              - name: plc
                type: modbus
                host: 127.0.0.1
                grups: []
                groups:
                  - interval_ms: 1000
                    points:
                      - {tag: pump-1/flow, slave: 7, function: holding, address: 100, type: float64}
              - name: plc
                type: opcua
            stations:
              - name: pump-1
                model: MODELS/pump-vibration-flow
                tags:
                  Accelerometer1RMS: pump-1/acc1
                  Volume Flow RateRMS: pump-1/flow
                  Pressure: pump-1/flow
            """);

        var (exit, output) = await CliRunner.RunAsync("validate", "--config", file);

        Assert.Equal(2, exit);
        Assert.Contains($"error: {file}:5:5: sources[0].grups: unknown key (hint: known keys here: name, type,", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:9:81: sources[0].groups[0].points[0].type: 'float64' is not a register type (hint: int16, uint16, int32, uint32 or float32)", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:10:11: sources[1].name: 'plc' names two sources (hint: every source needs its own name)", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:11:11: sources[1].type: 'opcua' is not a source type (hint: mqtt, serial, modbus or simulator)", output, StringComparison.Ordinal);
        Assert.Contains($"error: {file}:16:26: stations[0].tags.Accelerometer1RMS: tag 'pump-1/acc1' is produced by no source", output, StringComparison.Ordinal);
        Assert.Contains("stations[0].tags.Accelerometer2RMS: model 'pump-vibration-flow' needs feature 'Accelerometer2RMS' and no tag feeds it", output, StringComparison.Ordinal);
        Assert.Contains("stations[0].tags.Pressure: model 'pump-vibration-flow' has no feature 'Pressure'", output, StringComparison.Ordinal);
        Assert.Contains("7 problem(s); the agent will not start with this file", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MqttOutputPacking_ReadsTheLimit_AndNamesABadOne()
    {
        string Config(string limit) => $"""
            sources:
              - name: sim
                type: simulator
                kind: pump
                station: pump-1
            outputs:
              mqtt:
                topic: plant/line1/{"{station}"}/verdict
                max_results_per_message: {limit}
            stations:
              - name: pump-1
                model: {RepoPaths.Model("pump-vibration-flow")}
                tags:
                  Accelerometer1RMS: pump-1/Accelerometer1RMS
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1/Volume Flow RateRMS
            """;

        Assert.Equal(32, EdgeConfigReader.Read(Write(Config("32"))).MqttOutput!.MaxResultsPerMessage);
        var file = Write(Config("0"));
        var (exit, output) = await CliRunner.RunAsync("validate", "--config", file);

        Assert.Equal(2, exit);
        Assert.Contains("outputs.mqtt.max_results_per_message: '0' must be a whole number from 1 to 1000", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadTagsAndFrame_NameTheKeyAndTheProblem()
    {
        var file = Write("""
            sources:
              - name: sim
                type: simulator
                kind: pump
                station: pump-1
            tags:
              - {name: pump-1/Accelerometer1RMS, scale: 0, min: 5, max: 1}
              - {name: pump-1/ghost, period_ms: -3}
              - {name: pump-1/Accelerometer1RMS, stale_after_ms: soon}
            stations:
              - name: pump-1
                model: MODELS/pump-vibration-flow
                frame: {missing: guess, max_skew_ms: 0, stride: 0}
                tags:
                  Accelerometer1RMS: pump-1/Accelerometer1RMS
                  Accelerometer2RMS: pump-1/Accelerometer2RMS
                  Volume Flow RateRMS: pump-1/Volume Flow RateRMS
            """);

        var (exit, output) = await CliRunner.RunAsync("validate", "--config", file);

        Assert.Equal(2, exit);
        Assert.Contains("tags[0].scale: must not be 0 (hint: value = read × scale + offset)", output, StringComparison.Ordinal);
        Assert.Contains("tags[0].max: max 1 is not above min 5", output, StringComparison.Ordinal);
        Assert.Contains("tags[1].name: tag 'pump-1/ghost' is produced by no source", output, StringComparison.Ordinal);
        Assert.Contains("tags[1].period_ms: '-3' must be a whole number from 1 to 86400000", output, StringComparison.Ordinal);
        Assert.Contains("tags[2].name: 'pump-1/Accelerometer1RMS' is defined twice", output, StringComparison.Ordinal);
        Assert.Contains("tags[2].stale_after_ms: 'soon' must be a whole number", output, StringComparison.Ordinal);
        Assert.Contains("stations[0].frame.missing: 'guess' is not a policy (hint: hold-last", output, StringComparison.Ordinal);
        Assert.Contains("stations[0].frame.max_skew_ms: '0' must be a whole number from 1", output, StringComparison.Ordinal);
        Assert.Contains("stations[0].frame.stride: '0' must be a whole number from 1 to 100000", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TagsAndFrame_BuildDefinitionsAndAlignment()
    {
        Environment.SetEnvironmentVariable("MQTT_PASSWORD", "s3cret");
        try
        {
            var config = EdgeConfigReader.Read(Path.Combine(RepoPaths.Root, "edge", "configs", "mqtt-line.yaml"));

            var acc = config.Tags.Single(t => t.Name == "pump-1/acc1");
            Assert.Equal(("g", 0.001, 0.0, 50.0), (acc.Unit, acc.Scale, acc.Min, acc.Max));
            Assert.Equal(TimeSpan.FromSeconds(1), acc.Period);
            Assert.Equal(TimeSpan.FromSeconds(5), acc.StaleAfter);
            var station = Assert.Single(config.Stations);
            Assert.Equal(new AiFactory.Edge.Core.Stations.AlignmentOptions(TimeSpan.FromMilliseconds(300)), station.Alignment);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MQTT_PASSWORD", null);
        }
    }

    [Fact]
    public async Task Validate_SparkplugSubscription_MapsMetricsToTags_AndNamesABadMapping()
    {
        var good = Write("""
            sources:
              - name: spb
                type: mqtt
                subscriptions:
                  - topic: spBv1.0/plant1/+/gw1/#
                    sparkplug:
                      metrics: {pump-1/flow: gw1/pump1/Flow, pump-1/acc1: gw1/pump1/Vib1, pump-1/acc2: gw1/pump1/Vib2}
            stations:
              - name: pump-1
                model: MODELS/pump-vibration-flow
                tags: {Accelerometer1RMS: pump-1/acc1, Accelerometer2RMS: pump-1/acc2, Volume Flow RateRMS: pump-1/flow}
            """);
        Assert.Equal(["pump-1/acc1", "pump-1/acc2", "pump-1/flow"], EdgeConfigReader.Read(good).Sources[0].Tags.Order());

        File.WriteAllText(good, File.ReadAllText(good).Replace("gw1/pump1/Vib2", "Vib2", StringComparison.Ordinal));
        var (exit, output) = await CliRunner.RunAsync("validate", "--config", good);

        Assert.Equal(2, exit);
        Assert.Contains("sources[0].subscriptions[0].sparkplug.metrics.pump-1/acc2: 'Vib2' must name the edge node (and device) and the metric", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_NotYaml_NamesFileAndLine()
    {
        var file = Write("sources: [\n  - name: x\n");

        var (exit, output) = await CliRunner.RunAsync("validate", "--config", file);

        Assert.Equal(2, exit);
        Assert.Contains($"error: {file}:", output, StringComparison.Ordinal);
        Assert.Contains("(file): not valid YAML", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingFile_SaysSo()
    {
        var file = Path.Combine(_dir, "absent.yaml");

        var (exit, output) = await CliRunner.RunAsync("validate", "--config", file);

        Assert.Equal(2, exit);
        Assert.Contains($"error: {file}: the configuration file does not exist", output, StringComparison.Ordinal);
    }

    private string Write(string yaml)
    {
        // Models are referenced relative to the file: point MODELS at the repository's models folder.
        var path = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(path, yaml.Replace("MODELS", RepoPaths.Models, StringComparison.Ordinal));
        return path;
    }
}
