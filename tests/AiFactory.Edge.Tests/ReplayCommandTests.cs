using System.Globalization;
using System.Text.RegularExpressions;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

[Trait("Category", "Integration")]
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Replay_SyntheticPumpCsv_WritesOneVerdictPerRowAndScoresLabels()
    {
        var input = Path.Combine(_dir, "in");
        Directory.CreateDirectory(Path.Combine(input, "line-a"));
        WritePumpCsv(Path.Combine(input, "line-a", "asset.csv"), rows: 600, faultFrom: 450);

        var (exit, output) = await CliRunner.RunAsync("replay", "--model", RepoPaths.Model("pump-anomaly"), "--input", input, "--output", Path.Combine(_dir, "out"));

        Assert.Equal(0, exit);
        var lines = File.ReadAllLines(Path.Combine(_dir, "out", "line-a", "asset.csv"));
        Assert.Equal("datetime,anomaly,score", lines[0]);
        Assert.Equal(601, lines.Length);
        Assert.StartsWith("2026-01-01 00:00:00,", lines[1], StringComparison.Ordinal);
        var flagged = lines.Skip(1 + 450).Count(l => l.Split(',')[1] == "1");
        Assert.True(flagged > 100, $"the injected flow drop was flagged on only {flagged} of 150 rows");
        Assert.Contains("SKAB protocol over 1 file(s), rows after the first 400", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_NonNumericValue_IsReportedWithFileAndLineAndStillScored()
    {
        var file = Path.Combine(_dir, "bad.csv");
        WritePumpCsv(file, rows: 450, faultFrom: int.MaxValue);
        var lines = File.ReadAllLines(file);
        var fields = lines[420].Split(';');
        fields[8] = "abc";
        lines[420] = string.Join(';', fields);
        File.WriteAllLines(file, lines);

        var (exit, output) = await CliRunner.RunAsync("replay", "--model", RepoPaths.Model("pump-anomaly"), "--input", file, "--output", Path.Combine(_dir, "out"));

        Assert.Equal(0, exit);
        Assert.Contains($"{file}:421: column 'Volume Flow RateRMS': 'abc' is not a number", output, StringComparison.Ordinal);
        Assert.Equal(451, File.ReadAllLines(Path.Combine(_dir, "out", "bad.csv")).Length);
    }

    [Fact]
    public async Task Replay_MissingColumn_NamesFileAndColumn()
    {
        var file = Path.Combine(_dir, "short.csv");
        File.WriteAllLines(file, ["datetime;Accelerometer1RMS;Accelerometer2RMS", "2026-01-01 00:00:00;0.1;0.2"]);

        var (exit, output) = await CliRunner.RunAsync("replay", "--model", RepoPaths.Model("pump-anomaly"), "--input", file, "--output", Path.Combine(_dir, "out"));

        Assert.Equal(2, exit);
        Assert.Contains($"error: {file}: missing column(s) 'Current', 'Pressure', 'Temperature', 'Thermocouple', 'Voltage', 'Volume Flow RateRMS' that model 'pump-anomaly' needs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MissingModelFolder_NamesTheFolder()
    {
        var model = Path.Combine(_dir, "no-such-model");

        var (exit, output) = await CliRunner.RunAsync("replay", "--model", model, "--input", _dir, "--output", Path.Combine(_dir, "out"));

        Assert.Equal(2, exit);
        Assert.Contains($"error: {model}: model folder does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_MissingInput_NamesTheInput()
    {
        var input = Path.Combine(_dir, "nothing-here.csv");

        var (exit, output) = await CliRunner.RunAsync("replay", "--model", RepoPaths.Model("pump-anomaly"), "--input", input, "--output", Path.Combine(_dir, "out"));

        Assert.Equal(2, exit);
        Assert.Contains($"error: input '{input}' does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_WithoutRequiredOptions_SaysWhichAreMissing()
    {
        var (exit, output) = await CliRunner.RunAsync("replay", "--model", RepoPaths.Model("pump-anomaly"));

        Assert.NotEqual(0, exit);
        Assert.Contains("--input", output, StringComparison.Ordinal);
        Assert.Contains("--output", output, StringComparison.Ordinal);
    }

    [DatasetFact("steel-plates")]
    public async Task Replay_SteelPlates_BeatsTheForestOnTheHoldout()
    {
        var (exit, output) = await CliRunner.RunAsync("replay", "--model", RepoPaths.Model("steel-defects"), "--input", Path.Combine(RepoPaths.Datasets, "steel-plates", "steel-plates-train.csv"), "--output", Path.Combine(_dir, "out"), "--no-baseline");

        Assert.Equal(0, exit);
        Assert.Contains("scored the card's 311 hold-out rows", output, StringComparison.Ordinal);
        Assert.Matches(@"steel-defects 1\.0\.0 \(edge, ONNX Runtime\)\s+0\.7910\s+0\.8175", output);
        Assert.Equal(1553, File.ReadAllLines(Path.Combine(_dir, "out", "steel-plates-train.csv")).Length);
    }

    /// <summary>A pump asset with SKAB's eight columns; from <paramref name="faultFrom"/> on a valve closes: the flow drops and the pump vibrates harder.</summary>
    private static void WritePumpCsv(string path, int rows, int faultFrom)
    {
        var random = new Random(3);
        var lines = new List<string> { "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;Volume Flow RateRMS;anomaly" };
        for (var i = 0; i < rows; i++)
        {
            var fault = i >= faultFrom;
            var flow = (fault ? 27.0 : 32.0) + ((random.NextDouble() - 0.5) * 0.6);
            var a1 = (fault ? 0.031 : 0.027) + ((random.NextDouble() - 0.5) * 0.001);
            var a2 = 0.040 + ((random.NextDouble() - 0.5) * 0.0015);
            var current = 1.3 + ((random.NextDouble() - 0.5) * 0.4);
            var pressure = 0.25 + ((random.NextDouble() - 0.5) * 0.2);
            var temperature = 70.0 + (0.5 * Math.Sin(i / 120.0));
            var thermocouple = 25.0 + (0.3 * Math.Sin((i / 90.0) + 1.0));
            var voltage = 232.0 + ((random.NextDouble() - 0.5) * 6.0);
            var stamp = new DateTime(2026, 1, 1).AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{stamp};{a1:F6};{a2:F6};{current:F4};{pressure:F4};{temperature:F4};{thermocouple:F4};{voltage:F2};{flow:F3};{(fault ? 1 : 0)}"));
        }

        File.WriteAllLines(path, lines);
    }
}
