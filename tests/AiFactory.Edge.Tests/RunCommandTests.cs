namespace AiFactory.Edge.Tests;

[Trait("Category", "Integration")]
public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_SimulatedLine_CalibratesFlagsTheFaultAndClassifiesParts()
    {
        // 20 s of wall time at ×100 covers calibration (400 s) and the first fault (520–580 s simulated).
        var (exit, output) = await CliRunner.RunAsync("run", "--speed", "100", "--duration", "9");

        Assert.Equal(0, exit);
        Assert.Contains("pump-1  ANOMALY", output, StringComparison.Ordinal);
        Assert.Matches(@"plate-1: \d+ parts \(", output);
        Assert.Matches(@"pump-1: \d+ samples, [1-9]\d* anomalous after calibration", output);
    }

    [Fact]
    public async Task Run_MissingModelsFolder_NamesIt()
    {
        var (exit, output) = await CliRunner.RunAsync("run", "--models", "/nonexistent/models", "--duration", "1");

        Assert.Equal(2, exit);
        Assert.Contains("error: models folder '/nonexistent/models' does not exist", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1000001")]
    public async Task Run_HoldOutOfRange_IsRefusedBeforeAnythingStarts(string hold)
    {
        var (exit, output) = await CliRunner.RunAsync("run", "--max-hold-us", hold, "--duration", "1");

        Assert.Equal(2, exit);
        Assert.Contains($"error: --max-hold-us must be between 0 and 1000000 (was {hold})", output, StringComparison.Ordinal);
        Assert.DoesNotContain("AiFactory edge agent", output, StringComparison.Ordinal);
    }
}
