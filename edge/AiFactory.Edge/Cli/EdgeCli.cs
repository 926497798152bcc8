using System.CommandLine;

namespace AiFactory.Edge.Cli;

/// <summary>The `aifactory-edge` command line: run, replay, validate, outbox.</summary>
public static class EdgeCli
{
    public static RootCommand Build(TextWriter? output = null)
    {
        var console = output ?? Console.Out;
        var root = new RootCommand("AiFactory edge agent: reads the line, scores it with ONNX models, answers the line.");
        root.Subcommands.Add(ReplayCommand.Create(console));
        root.Subcommands.Add(RunCommand.Create(console));
        root.Subcommands.Add(ValidateCommand.Create(console));
        root.Subcommands.Add(OutboxCommand.Create(console));
        return root;
    }
}
