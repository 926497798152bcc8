using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Frames;
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
            var station = Assert.Single(config.Stations);
            Assert.Equal("pump-1.flow", station.FeatureTags["Volume Flow RateRMS"]);
            Assert.Equal(new TagSpec("pump-1.flow") { Scale = 0.1, Min = 0, Max = 400, StaleAfter = TimeSpan.FromSeconds(5), ExpectedPeriod = TimeSpan.FromSeconds(1) }, config.Tags["pump-1.flow"].Spec);
            Assert.Equal(("plant-broker", "pump-1/flow", "float", "l/min"), (config.Tags["pump-1.flow"].Source, config.Tags["pump-1.flow"].Address, config.Tags["pump-1.flow"].DataType, config.Tags["pump-1.flow"].Unit));
            Assert.Equal(new FrameOptions { Kind = FrameKind.Window, MaxSkew = TimeSpan.FromMilliseconds(500), StaleAfter = TimeSpan.FromSeconds(3) }, station.Frame);
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
                model: MODELS/pump-anomaly
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
        Assert.Contains($"error: {file}:16:26: stations[0].tags.Accelerometer1RMS: tag 'pump-1/acc1' is neither in tags: nor produced by a source (hint: declare it under tags: (name, source, address), or name a value a source produces)", output, StringComparison.Ordinal);
        Assert.Contains("stations[0].tags.Accelerometer2RMS: model 'pump-anomaly' needs feature 'Accelerometer2RMS' and no tag feeds it", output, StringComparison.Ordinal);
        Assert.Contains("stations[0].tags.Pressure: model 'pump-anomaly' has no feature 'Pressure'", output, StringComparison.Ordinal);
        Assert.Contains("7 problem(s); the agent will not start with this file", output, StringComparison.Ordinal);
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
