using System.CommandLine;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Replay;

namespace AiFactory.Edge.Cli;

internal static class ReplayCommand
{
    public static Command Create(TextWriter console)
    {
        var model = new Option<string>("--model") { Description = "Model folder (card.yaml + .onnx)", Required = true };
        var input = new Option<string>("--input") { Description = "A CSV file or a folder of CSV files (';' or ',' separated)", Required = true };
        var output = new Option<string>("--output") { Description = "Folder for the verdict CSVs (same relative paths as the inputs)", Required = true };
        var maxBatch = new Option<int>("--max-batch") { Description = "DynamicBatcher maximum batch size", DefaultValueFactory = _ => DynamicBatcherOptions.DefaultMaxBatchSize };
        var maxDelay = new Option<int>("--max-delay-us") { Description = "DynamicBatcher maximum queue delay in microseconds", DefaultValueFactory = _ => DynamicBatcherOptions.DefaultMaxQueueDelayMicroseconds };
        var noBaseline = new Option<bool>("--no-baseline") { Description = "Do not run the card's baseline script next to the edge's metrics" };
        var command = new Command("replay", "Replay recorded CSVs through the live scoring path; print metrics when the files carry labels.")
        {
            model, input, output, maxBatch, maxDelay, noBaseline,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(console, () => ReplayRunner.RunAsync(
            new ReplayOptions(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(maxBatch), parse.GetValue(maxDelay), !parse.GetValue(noBaseline)),
            console,
            cancellationToken)));
        return command;
    }
}
