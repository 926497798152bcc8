using AiFactory.Edge.Cli;

namespace AiFactory.Edge.Tests;

/// <summary>The agent's log escapes control characters in what it logs, so a topic or payload cannot forge a line.</summary>
[Trait("Category", "Unit")]
public sealed class AgentLoggingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-agent-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Create_ValueWithANewline_StaysOnOneLineOfTheLogFile()
    {
        var path = Path.Combine(_dir, "agent.log");
        using (var logger = AgentLogging.Create(path, json: false))
        {
            logger.Warning("MQTT {Source}: topic {Topic} matches no subscription", "line-1", "plant/x\n2026-12-06 16:09:59.000 +00:00 [INF] FORGED model replaced");
        }

        var lines = File.ReadAllLines(Assert.Single(Directory.GetFiles(_dir, "agent*.log")));

        var line = Assert.Single(lines);
        Assert.EndsWith(@"[WRN] MQTT line-1: topic plant/x\n2026-12-06 16:09:59.000 +00:00 [INF] FORGED model replaced matches no subscription", line, StringComparison.Ordinal);
    }
}
