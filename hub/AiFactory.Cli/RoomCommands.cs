using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace AiFactory.Cli;

/// <summary>
/// The <c>aifactory room</c> subcommands: a company admin offers a station's raw chunks to an alliance data room, lists
/// and revokes its offers; a data scientist of a granted company lists the datasets and downloads one as a training
/// set. Each is one HTTP call to the hub, which checks every grant and audits every access.
/// </summary>
internal sealed class RoomCommands(TextWriter output, Func<ParseResult, HubApiClient> connect)
{
    private readonly Option<string> _alliance = new("--alliance") { Description = "The alliance's id", Required = true };
    private readonly Option<string> _company = new("--company") { Description = "Your company's id", Required = true };

    public IEnumerable<Command> All() => [Offer(), Offers(), Revoke(), Datasets(), Download()];

    private Command Offer()
    {
        var id = new Option<string>("--id") { Description = "The offer's id, the dataset's id in the room", Required = true };
        var plant = new Option<string>("--plant") { Description = "The station's plant", Required = true };
        var line = new Option<string>("--line") { Description = "The station's line", Required = true };
        var station = new Option<string>("--station") { Description = "The station whose opted-in raw chunks are offered", Required = true };
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the offered span (ISO 8601)", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the offered span (ISO 8601)", Required = true };
        var expires = new Option<DateTimeOffset>("--expires") { Description = "When the grant ends (ISO 8601)", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "What the data may be used for", DefaultValueFactory = _ => "model-development" };
        var grantees = new Option<string[]>("--grantee") { Description = "A member company whose data scientists may use it (repeat; none: every member)", AllowMultipleArgumentsPerToken = true };
        var rename = new Option<string[]>("--rename") { Description = "TAG=NAME: the name a tag goes by in the room (others become tag1, tag2…)", AllowMultipleArgumentsPerToken = true };
        var offset = new Option<string[]>("--offset") { Description = "TAG=NUMBER: added to every value of the tag", AllowMultipleArgumentsPerToken = true };
        var quantum = new Option<double?>("--quantum") { Description = "Round every value to a multiple of this" };
        var shift = new Option<long>("--time-shift-seconds") { Description = "Move every time by this many seconds" };
        var command = new Command("offer", "Offer a station's raw chunks over a span to the alliance's data room, de-identified.")
        {
            _alliance, _company, id, plant, line, station, from, to, expires, purpose, grantees, rename, offset, quantum, shift,
        };
        command.SetAction(async (parse, ct) =>
        {
            var names = Pairs(parse.GetValue(rename), "--rename", v => v);
            var offsets = Pairs(parse.GetValue(offset), "--offset", v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d : throw new CliException($"--offset value '{v}' is not a number"));
            var body = new
            {
                id = parse.GetValue(id), plant = parse.GetValue(plant), line = parse.GetValue(line), station = parse.GetValue(station),
                from = parse.GetValue(from), to = parse.GetValue(to), purpose = parse.GetValue(purpose), grantees = parse.GetValue(grantees), expires = parse.GetValue(expires),
                deidentification = new { tagNames = names, offsets, quantum = parse.GetValue(quantum), timeShiftSeconds = parse.GetValue(shift) },
            };
            var o = await connect(parse).SendAsync(HttpMethod.Post, $"api/v1/alliances/{parse.GetValue(_alliance)}/companies/{parse.GetValue(_company)}/offers", body, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"offer {ModelCli.Text(o, "id")}: {Describe(o)}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private Command Offers()
    {
        var command = new Command("offers", "List your company's offers in the alliance, revoked ones too.") { _alliance, _company };
        command.SetAction(async (parse, ct) =>
        {
            var list = await connect(parse).SendAsync(HttpMethod.Get, $"api/v1/alliances/{parse.GetValue(_alliance)}/companies/{parse.GetValue(_company)}/offers", null, ct).ConfigureAwait(false);
            await output.WriteLineAsync(list.GetArrayLength() == 0 ? "no offers" : string.Join('\n', list.EnumerateArray().Select(o =>
                $"{ModelCli.Text(o, "id")}  {Describe(o)}{(o.GetProperty("revoked").ValueKind == JsonValueKind.Null ? string.Empty : $", revoked {Time(o.GetProperty("revoked"))}")}"))).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private Command Revoke()
    {
        var offer = new Option<string>("--offer") { Description = "The offer's id", Required = true };
        var command = new Command("revoke", "Revoke an offer: the next listing, read or download is refused.") { _alliance, _company, offer };
        command.SetAction(async (parse, ct) =>
        {
            await connect(parse).SendAsync(HttpMethod.Delete, $"api/v1/alliances/{parse.GetValue(_alliance)}/companies/{parse.GetValue(_company)}/offers/{parse.GetValue(offer)}", null, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"revoked offer {parse.GetValue(offer)} in alliance {parse.GetValue(_alliance)}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private Command Datasets()
    {
        var command = new Command("datasets", "List the datasets the alliance's offers grant your company (data scientists).") { _alliance };
        command.SetAction(async (parse, ct) =>
        {
            var list = await connect(parse).SendAsync(HttpMethod.Get, $"api/v1/alliances/{parse.GetValue(_alliance)}/datasets", null, ct).ConfigureAwait(false);
            await output.WriteLineAsync(list.GetArrayLength() == 0 ? "no datasets granted" : string.Join('\n', list.EnumerateArray().Select(d =>
                $"{ModelCli.Text(d, "id")}  {ModelCli.Text(d, "purpose")}, {Time(d.GetProperty("from"))} to {Time(d.GetProperty("to"))}, until {Time(d.GetProperty("expires"))}"))).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private Command Download()
    {
        var dataset = new Option<string>("--dataset") { Description = "The dataset's id", Required = true };
        var outFile = new Option<string>("--out") { Description = "Where to write the training set (CSV, as models/*/train.py reads it)", Required = true };
        var limit = new Option<int?>("--limit") { Description = "At most this many chunks (default: the hub's, 1,000)" };
        var command = new Command("download", "Download a granted dataset as a training set.") { _alliance, dataset, outFile, limit };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(outFile)!;
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder))
            {
                throw new CliException($"--out '{path}': folder '{folder}' does not exist");
            }

            var query = parse.GetValue(limit) is { } n ? $"?limit={n.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
            var csv = await connect(parse).SendForTextAsync(HttpMethod.Get, $"api/v1/alliances/{parse.GetValue(_alliance)}/datasets/{parse.GetValue(dataset)}/training.csv{query}", null, ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(path, csv, ct).ConfigureAwait(false);
            var rows = csv.Count(c => c == '\n') - 1;
            await output.WriteLineAsync($"wrote dataset {parse.GetValue(dataset)}: {Math.Max(0, rows)} rows to {path}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>TAG=VALUE options as a map, or null when none; a malformed one names its option.</summary>
    private static Dictionary<string, T>? Pairs<T>(string[]? given, string option, Func<string, T> value)
    {
        if (given is null || given.Length == 0)
        {
            return null;
        }

        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var pair in given)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || at == pair.Length - 1)
            {
                throw new CliException($"{option} '{pair}' is not TAG=VALUE");
            }

            if (!map.TryAdd(pair[..at], value(pair[(at + 1)..])))
            {
                throw new CliException($"{option} names tag '{pair[..at]}' twice");
            }
        }

        return map;
    }

    private static string Describe(JsonElement o)
    {
        var grantees = o.GetProperty("grantees").EnumerateArray().Select(g => g.GetString()).ToList();
        return $"{ModelCli.Text(o, "plantId")}/{ModelCli.Text(o, "lineId")}/{ModelCli.Text(o, "stationId")} {Time(o.GetProperty("from"))} to {Time(o.GetProperty("to"))} " +
            $"for {ModelCli.Text(o, "purpose")} to {(grantees.Count == 0 ? "every member" : string.Join(", ", grantees))} until {Time(o.GetProperty("expires"))}";
    }

    private static string Time(JsonElement t) => t.GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
