using System.CommandLine;
using AiFactory.Edge.Config;

namespace AiFactory.Edge.Cli;

internal static class ValidateCommand
{
    public static Command Create(TextWriter console)
    {
        var config = new Option<string>("--config") { Description = "The edge configuration file (YAML)", Required = true };
        var command = new Command("validate", "Check a configuration file: every problem with file, line, key and a hint; exit 2 when there is one.") { config };
        command.SetAction(async (parse, _) =>
        {
            var file = parse.GetValue(config)!;
            try
            {
                var read = EdgeConfigReader.Read(file);
                await console.WriteLineAsync($"{file}: ok — {read.Sources.Count} source(s) ({string.Join(", ", read.Sources.Select(s => $"{s.Name}: {s.Type}, {s.Tags.Count} tags"))}), {read.Stations.Count} station(s) ({string.Join(", ", read.Stations.Select(s => $"{s.Name}: {s.Card.Name} {s.Card.Version}"))})").ConfigureAwait(false);
                return 0;
            }
            catch (EdgeConfigException ex)
            {
                foreach (var problem in ex.Problems)
                {
                    await console.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
                }

                await console.WriteLineAsync($"{ex.Problems.Count} problem(s); the agent will not start with this file").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }
}
