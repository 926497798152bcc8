using System.CommandLine;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Cli;

/// <summary><c>aifactory-hub admin company|plant|line|station|edge|key|revoke</c>: the admin API from the command line.</summary>
internal static class AdminCommands
{
    public static (Option<string?> Provider, Option<string?> Connection) DatabaseOptions() =>
        (new Option<string?>("--provider") { Description = "Sqlite or PostgreSql (default: Hub:Database:Provider from hub.json / environment)" },
         new Option<string?>("--connection") { Description = "Connection string (default: Hub:Database:ConnectionString)" });

    public static Command Create(TextWriter output)
    {
        var admin = new Command("admin", "Create companies, plants, lines, stations, edges and keys; revoke keys.");
        admin.Subcommands.Add(Make(output, "company", "Create a company.", [], (t, a, ct) => t.CreateCompanyAsync(AuditActor.Cli(), a.Id, a.Name, ct)));
        admin.Subcommands.Add(Make(output, "plant", "Create a plant.", ["--company"], (t, a, ct) => t.CreatePlantAsync(AuditActor.Cli(), a["--company"], a.Id, a.Name, ct)));
        admin.Subcommands.Add(Make(output, "line", "Create a line.", ["--company", "--plant"], (t, a, ct) => t.CreateLineAsync(AuditActor.Cli(), a["--company"], a["--plant"], a.Id, a.Name, ct)));
        admin.Subcommands.Add(Make(output, "station", "Create a station.", ["--company", "--plant", "--line"],
            (t, a, ct) => t.CreateStationAsync(AuditActor.Cli(), a["--company"], a["--plant"], a["--line"], a.Id, a.Name, ct)));
        admin.Subcommands.Add(KeyCommand(output, "edge", "Register an edge bound to a plant and print its key once.", ["--company", "--plant"],
            (t, a, ct) => t.CreateEdgeAsync(AuditActor.Cli(), a["--company"], a["--plant"], a.Id, a.Name, ct)));
        admin.Subcommands.Add(UserKeyCommand(output));
        admin.Subcommands.Add(RevokeCommand(output));
        return admin;
    }

    private static Command Make(TextWriter output, string name, string description, string[] parents, Func<TenancyStore, Args, CancellationToken, Task> create) =>
        Build(output, name, description, parents, async (t, a, ct) =>
        {
            await create(t, a, ct).ConfigureAwait(false);
            return $"created {name} '{a.Id}'";
        });

    private static Command KeyCommand(TextWriter output, string name, string description, string[] parents, Func<TenancyStore, Args, CancellationToken, Task<CreatedKey>> create) =>
        Build(output, name, description, parents, async (t, a, ct) => KeyText(await create(t, a, ct).ConfigureAwait(false), a.KeyFile), withKeyFile: true);

    private static Command UserKeyCommand(TextWriter output)
    {
        var role = new Option<string>("--role") { Description = $"hub-admin, or a user role: {HubRoles.UserRoleList}", Required = true };
        var command = Build(output, "key", "Create a user (or hub-admin) key and print it once.", [], async (t, a, ct) =>
        {
            if (!HubRoles.TryParse(a["--role"], out var r) || r == HubRole.Edge)
            {
                throw HubProblemException.BadRequest($"--role '{a["--role"]}' is not hub-admin or one of {HubRoles.UserRoleList}.");
            }

            var company = a.Optional("--company");
            return KeyText(await t.CreateUserKeyAsync(AuditActor.Cli(), company, r, a.Name, a.Optional("--owner"), ct).ConfigureAwait(false), a.KeyFile);
        }, withKeyFile: true, idRequired: false, extra: [role, new Option<string?>("--company") { Description = "The company the key is scoped to (not for hub-admin)" },
            new Option<string?>("--owner") { Description = "The named user of the company the key belongs to (default: the key itself); one person's keys share one privacy budget" }]);
        return command;
    }

    private static Command RevokeCommand(TextWriter output)
    {
        var keyId = new Option<string>("--key-id") { Description = "The key's id (the part after 'aif_')", Required = true };
        return Build(output, "revoke", "Revoke a key at once on every replica.", [], async (t, a, ct) =>
        {
            await t.RevokeKeyAsync(AuditActor.Cli(), a["--key-id"], ct).ConfigureAwait(false);
            return $"revoked key '{a["--key-id"]}'";
        }, idRequired: false, extra: [keyId]);
    }

    private static string KeyText(CreatedKey key, string? file)
    {
        if (file is null)
        {
            return $"key {key.KeyId} ({key.Role}{(key.CompanyId is null ? string.Empty : $", company {key.CompanyId}")}): {key.Key}";
        }

        File.WriteAllText(file, key.Key + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return $"key {key.KeyId} ({key.Role}) written to {file}";
    }

    private static Command Build(
        TextWriter output, string name, string description, string[] parents, Func<TenancyStore, Args, CancellationToken, Task<string>> action,
        bool withKeyFile = false, bool idRequired = true, Option[]? extra = null)
    {
        var (provider, connection) = DatabaseOptions();
        var id = new Option<string>("--id") { Description = $"The {name}'s id", Required = idRequired };
        var display = new Option<string?>("--name") { Description = "Display name (default: the id)" };
        var keyFile = new Option<string?>("--key-file") { Description = "Write the key to this file (mode 600) instead of printing it" };
        var parentOptions = parents.Select(p => new Option<string>(p) { Description = $"The {p[2..]}'s id", Required = true }).ToArray();
        var command = new Command(name, description) { provider, connection, display };
        if (idRequired)
        {
            command.Options.Add(id);
        }

        foreach (var o in parentOptions.Concat(extra ?? []))
        {
            command.Options.Add(o);
        }

        if (withKeyFile)
        {
            command.Options.Add(keyFile);
        }

        command.SetAction(async (parse, ct) =>
        {
            var values = parentOptions.Concat(extra ?? []).ToDictionary(o => o.Name, o => parse.GetResult(o)?.GetValueOrDefault<object?>()?.ToString());
            var args = new Args(parse.GetValue(id) ?? string.Empty, parse.GetValue(display) ?? parse.GetValue(id) ?? name, withKeyFile ? parse.GetValue(keyFile) : null, values);
            try
            {
                await using var app = await HubCli.ServicesAsync(parse.GetValue(provider), parse.GetValue(connection)).ConfigureAwait(false);
                await output.WriteLineAsync(await action(app.Services.GetRequiredService<TenancyStore>(), args, ct).ConfigureAwait(false)).ConfigureAwait(false);
                return 0;
            }
            catch (HubProblemException ex)
            {
                await output.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ex.Status == 409 ? 3 : 2;
            }
        });
        return command;
    }

    private sealed record Args(string Id, string Name, string? KeyFile, Dictionary<string, string?> Values)
    {
        public string this[string option] => Values[option] ?? throw HubProblemException.BadRequest($"{option} is required.");

        public string? Optional(string option) => Values.GetValueOrDefault(option);
    }
}
