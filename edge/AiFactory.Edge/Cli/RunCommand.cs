using System.CommandLine;
using AiFactory.Edge.Live;

namespace AiFactory.Edge.Cli;

internal static class RunCommand
{
    public static Command Create(TextWriter console)
    {
        var models = new Option<string?>("--models") { Description = "Folder holding the model folders (default: the nearest models/ above the current or program folder)" };
        var seed = new Option<int>("--seed") { Description = "Simulator seed", DefaultValueFactory = _ => 42 };
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per real second", DefaultValueFactory = _ => 20.0 };
        var duration = new Option<double>("--duration") { Description = "Stop after this many real seconds (0 = until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var command = new Command("run", "Run the agent on the built-in simulated line (a pump station and a plate-inspection station) and print live verdicts.")
        {
            models, seed, speed, duration,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(console, () => SimulatedLine.RunAsync(
            new SimulatedLineOptions(parse.GetValue(models), parse.GetValue(seed), parse.GetValue(speed), parse.GetValue(duration)),
            console,
            cancellationToken)));
        return command;
    }
}
