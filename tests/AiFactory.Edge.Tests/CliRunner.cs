using AiFactory.Edge.Cli;

namespace AiFactory.Edge.Tests;

/// <summary>Runs the real `aifactory-edge` command tree in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var parse = EdgeCli.Build(output).Parse(args);
        var exit = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }
}
