using System.Text.Json;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

[Trait("Category", "Integration")]
public sealed class LoggingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-logs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_WithJsonLogFile_WritesStructuredEventsNamingTheSource()
    {
        var closedPort = FreePort.Next();
        var config = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(config, $"""
            sources:
              - name: absent-broker
                type: mqtt
                port: {closedPort}
                subscriptions:
                  - topic: plant/#
                    number: plant/value
            stations: []
            """);

        var (exit, _) = await CliRunner.RunAsync("run", "--config", config, "--duration", "1.5", "--log-file", Path.Combine(_dir, "agent.log"), "--log-json");

        Assert.Equal(0, exit);
        var file = Assert.Single(Directory.GetFiles(_dir, "agent*.log"));
        var events = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var warning = events.First(e => e.GetProperty("MessageTemplate").GetString()!.Contains("cannot reach", StringComparison.Ordinal));
        Assert.Equal("Warning", warning.GetProperty("Level").GetString());
        Assert.Equal("absent-broker", warning.GetProperty("Properties").GetProperty("Source").GetString());
        Assert.Equal(closedPort, warning.GetProperty("Properties").GetProperty("Port").GetInt32());
    }
}
