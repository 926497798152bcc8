using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AiFactory.Contracts;

namespace AiFactory.Cli;

/// <summary>
/// <c>aifactory model key create|register</c>, <c>push</c>, <c>list</c>, <c>deploy</c>, <c>status</c>, <c>promote</c>,
/// <c>rollback</c>: a data scientist's workstation talking to the hub's HTTP API; <c>aifactory room …</c>: alliance data
/// rooms (<see cref="RoomCommands"/>). Exit codes: 0 done, 1 the hub refused or cannot be reached (its reason printed),
/// 2 a bad command line or local file.
/// </summary>
public static class ModelCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, HttpMessageHandler? handler = null)
    {
        var model = Group("model", "Signing keys, model packages and their deployments.", "a data-scientist key of your company", handler,
            connect => new ModelCommands(output, connect).All());
        var room = Group("room", "Alliance data rooms: offer a station's data (company admin), list and download what is granted (data scientist).",
            "a company-admin key to offer, a data-scientist key to download", handler, connect => new RoomCommands(output, connect).All());
        var root = new RootCommand("AiFactory: ship models to the lines, share data in alliance rooms.") { model, room };
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync($"aifactory: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
    }

    /// <summary>A command group with its own --hub and --api-key (recursive to its subcommands).</summary>
    private static Command Group(string name, string description, string whoseKey, HttpMessageHandler? handler, Func<Func<ParseResult, HubApiClient>, IEnumerable<Command>> commands)
    {
        var hub = new Option<string?>("--hub") { Description = $"The hub's address (default: ${HubConnection.HubVariable}, else {HubConnection.DefaultHub})", Recursive = true };
        var key = new Option<string?>("--api-key") { Description = $"Your API key (default: ${HubConnection.KeyVariable})", Recursive = true };
        var group = new Command(name, description) { hub, key };
        foreach (var command in commands(parse => Connect(parse.GetValue(hub), parse.GetValue(key), whoseKey, handler)))
        {
            group.Subcommands.Add(command);
        }

        return group;
    }

    private static HubApiClient Connect(string? hub, string? key, string whoseKey, HttpMessageHandler? handler)
    {
        var address = hub ?? Environment.GetEnvironmentVariable(HubConnection.HubVariable) ?? HubConnection.DefaultHub;
        if (!Uri.TryCreate(address.EndsWith('/') ? address : address + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--hub '{address}' is not an http:// or https:// address");
        }

        var apiKey = key ?? Environment.GetEnvironmentVariable(HubConnection.KeyVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new CliException($"no API key: give --api-key or set {HubConnection.KeyVariable} ({whoseKey})");
        }

        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromMinutes(5);
        return new HubApiClient(http, new HubConnection(uri, apiKey));
    }

    /// <summary>Reads a P-256 key from a PEM file (private for signing, or public), naming the file in every problem.</summary>
    public static ECDsa ReadKey(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--key '{path}' does not exist (aifactory model key create --out {path} makes one)");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
            {
                throw new CliException($"--key '{path}' is a {key.KeySize}-bit ECDSA key; packages are signed with P-256");
            }

            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new CliException($"--key '{path}' is not an ECDSA key in PEM: {ex.Message}");
        }
    }

    public static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    public static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "-",
            JsonValueKind.String => v.GetString()!,
            _ => v.GetRawText(),
        } : "-";
}
