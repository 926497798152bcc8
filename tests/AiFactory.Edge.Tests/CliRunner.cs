using AiFactory.Edge.Cli;

namespace AiFactory.Edge.Tests;

/// <summary>Runs the real `aifactory-edge` command tree in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await RunAsync(output, args);
        return (exit, output.ToString());
    }

    /// <summary>Runs with a caller-owned writer, e.g. a synchronized one the test reads while the command runs.</summary>
    public static Task<int> RunAsync(TextWriter output, params string[] args) => RunAsync(output, CancellationToken.None, args);

    /// <summary>As above; cancelling <paramref name="stop"/> is Ctrl+C.</summary>
    public static Task<int> RunAsync(TextWriter output, CancellationToken stop, params string[] args) =>
        EdgeCli.Build(output).Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop);
}
