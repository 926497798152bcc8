using AiFactory.Contracts;
using Serilog;
using Serilog.Core;
using Serilog.Formatting.Json;

namespace AiFactory.Edge.Cli;

/// <summary>The agent's Serilog pipeline: structured log events to stderr, and optionally to a rolling file, plain or JSON.</summary>
internal static class AgentLogging
{
    public static Logger Create(string? file, bool json)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .Enrich.WithProperty("Agent", "aifactory-edge")
            .Enrich.With<ControlCharacterEnricher>()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose);
        if (file is not null)
        {
            configuration = json
                ? configuration.WriteTo.Async(a => a.File(new JsonFormatter(renderMessage: true), file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14))
                : configuration.WriteTo.Async(a => a.File(file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14));
        }

        return configuration.CreateLogger();
    }
}
