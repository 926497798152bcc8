using System.CommandLine;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Cli;

/// <summary>
/// <c>aifactory-hub</c> serves the hub (the default; configuration overrides such as <c>--urls=…</c> or
/// <c>--Hub:Database:Provider=PostgreSql</c> pass straight through); <c>aifactory-hub admin …</c> manages tenancy
/// and keys against the same database, and <c>aifactory-hub migrate</c> applies the schema.
/// </summary>
public static class HubCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        if (args.Length == 0 || (args[0] is not ("admin" or "alliance" or "migrate" or "--help" or "-h" or "-?" or "--version")))
        {
            await using var app = HubApp.Build(args);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }

        var root = new RootCommand("AiFactory hub: ingest, aggregation, query API. Run without a command to serve.");
        root.Subcommands.Add(MigrateCommand(output ?? Console.Out));
        root.Subcommands.Add(AdminCommands.Create(output ?? Console.Out));
        root.Subcommands.Add(AllianceCommands.Create(output ?? Console.Out));
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>Builds the hub's services for a command (no server), with its schema applied.</summary>
    internal static async Task<WebApplication> ServicesAsync(string? provider, string? connection)
    {
        var overrides = new List<string>();
        if (provider is not null)
        {
            overrides.Add($"--Hub:Database:Provider={provider}");
        }

        if (connection is not null)
        {
            overrides.Add($"--Hub:Database:ConnectionString={connection}");
        }

        var app = HubApp.Build(overrides.ToArray());
        await app.Services.GetRequiredService<Migrator>().ApplyAsync(CancellationToken.None).ConfigureAwait(false);
        return app;
    }

    private static Command MigrateCommand(TextWriter output)
    {
        var (provider, connection) = AdminCommands.DatabaseOptions();
        var command = new Command("migrate", "Apply the schema to the configured database and exit.") { provider, connection };
        command.SetAction(async (parse, _) =>
        {
            await using var app = await ServicesAsync(parse.GetValue(provider), parse.GetValue(connection)).ConfigureAwait(false);
            await output.WriteLineAsync($"{app.Services.GetRequiredService<HubDatabase>().Describe()}: schema version {Migrator.LatestVersion}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
