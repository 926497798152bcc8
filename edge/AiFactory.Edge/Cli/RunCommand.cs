using System.CommandLine;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Live;
using Serilog.Extensions.Logging;

namespace AiFactory.Edge.Cli;

internal static class RunCommand
{
    public static Command Create(TextWriter console)
    {
        var config = new Option<string?>("--config") { Description = "The line's configuration file (YAML); without it, the built-in simulated line" };
        var models = new Option<string?>("--models") { Description = "Built-in line: folder holding the model folders (default: the nearest models/ above the current or program folder)" };
        var seed = new Option<int>("--seed") { Description = "Built-in line: simulator seed", DefaultValueFactory = _ => 42 };
        var speed = new Option<double>("--speed") { Description = "Built-in line: simulated seconds per real second", DefaultValueFactory = _ => 20.0 };
        var duration = new Option<double>("--duration") { Description = "Stop after this many real seconds (0 = until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var logFile = new Option<string?>("--log-file") { Description = "Also write the agent's log to this file, rolled daily and kept 14 days" };
        var logJson = new Option<bool>("--log-json") { Description = "Write the log file as JSON lines (for log shippers)" };
        var maxBatch = new Option<int>("--max-batch") { Description = "Largest batch the DynamicBatcher runs at once (1 = no batching)", DefaultValueFactory = _ => DynamicBatcherOptions.Line.MaxBatchSize };
        var maxDelay = new Option<int>("--max-queue-delay-us") { Description = "How long the oldest frame may wait for a batch to fill, in microseconds. 0 (the default): the routing loop runs each round's frames itself, batched as they arrived together, with no wait and no hand-over to another thread", DefaultValueFactory = _ => DynamicBatcherOptions.Line.MaxQueueDelayMicroseconds };
        var maxHold = new Option<int>("--max-hold-us") { Description = "With --max-queue-delay-us 0: how long the routing loop may hold samples that keep coming until a batch's worth (--max-batch) waits, in microseconds; they are then scored together and their verdicts leave together. 0: each round at once", DefaultValueFactory = _ => DynamicBatcherOptions.Line.MaxHoldMicroseconds };
        var noReload = new Option<bool>("--no-reload") { Description = "Do not apply edits of the --config file while running (by default they apply: changed sources and stations restart, the rest runs on)" };
        var statusPort = new Option<int>("--status-port") { Description = "Serve GET http://127.0.0.1:PORT/status (sources, data quality, model latency) as JSON; 0 = off", DefaultValueFactory = _ => 0 };
        var command = new Command("run", "Run the agent: the line in --config, or the built-in simulated line (a pump station and a plate-inspection station); print live verdicts.")
        {
            config, models, seed, speed, duration, logFile, logJson, statusPort, noReload, maxBatch, maxDelay, maxHold,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(console, async () =>
        {
            var hold = parse.GetValue(maxHold) is >= 0 and <= 1_000_000 and var us
                ? us
                : throw new ArgumentException($"--max-hold-us must be between 0 and 1000000 (was {parse.GetValue(maxHold)})");
            var line = parse.GetValue(config) is { } file
                ? EdgeConfigReader.Read(file)
                : DefaultLine.Build(ModelLocator.Find(parse.GetValue(models)), parse.GetValue(seed), parse.GetValue(speed));
            using var serilog = AgentLogging.Create(parse.GetValue(logFile), parse.GetValue(logJson));
            using var logs = new SerilogLoggerFactory(serilog);
            var watch = parse.GetValue(config) is not null && !parse.GetValue(noReload);
            var batching = new DynamicBatcherOptions
            {
                MaxBatchSize = parse.GetValue(maxBatch),
                MaxQueueDelayMicroseconds = parse.GetValue(maxDelay),
                CallerRuns = parse.GetValue(maxDelay) == 0,
                MaxHoldMicroseconds = hold,
            };
            Task<int> Run(CancellationToken stop) => LiveLine.RunAsync(line, console, logs, parse.GetValue(duration), stop, parse.GetValue(statusPort), watch, batching);
            return ServiceHost.IsService ? await ServiceHost.RunAsync(Run, cancellationToken).ConfigureAwait(false) : await Run(cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }
}
