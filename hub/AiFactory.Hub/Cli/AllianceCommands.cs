using System.CommandLine;
using System.Globalization;
using AiFactory.Hub.Alliance;
using AiFactory.Hub.Audit;
using AiFactory.Hub.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Cli;

/// <summary>
/// <c>aifactory-hub alliance process-type|create|member|tag-line|rollup|policy|standing</c>: the hub admin's alliance work from the
/// command line, against the same database, audited as the operating-system user.
/// </summary>
internal static class AllianceCommands
{
    public static Command Create(TextWriter output)
    {
        var alliance = new Command("alliance", "Process taxonomy, alliances and members, line tags, the benchmark roll-up.");
        var id = Required("--id", "The id");
        var name = new Option<string?>("--name") { Description = "Display name (default: the id)" };
        alliance.Subcommands.Add(Make(output, "process-type", "Add a process type to the alliance-wide taxonomy.", [id, name], async (app, p, ct) =>
        {
            await Service<AllianceStore>(app).CreateProcessTypeAsync(AuditActor.Cli(), p.GetValue(id)!, p.GetValue(name) ?? p.GetValue(id)!, ct).ConfigureAwait(false);
            return $"created process type '{p.GetValue(id)}'";
        }));

        var minCompanies = new Option<int>("--min-companies") { Description = "k: companies a published cell needs", DefaultValueFactory = _ => AllianceSettings.DefaultMinCompanies };
        var maxShare = new Option<double>("--max-share") { Description = "The largest share of a cell's weight one company may hold", DefaultValueFactory = _ => AllianceSettings.DefaultMaxShare };
        var dp = new Option<bool>("--differential-privacy") { Description = "Add noise to every published cell and keep an ε ledger" };
        var budget = new Option<double>("--epsilon-budget") { Description = "ε per analyst (a named user, across their keys) and calendar month", DefaultValueFactory = _ => AllianceSettings.DefaultEpsilonBudget };
        var mechanism = new Option<string>("--mechanism") { Description = "laplace, or gaussian (classic calibration, needs ε below 1)", DefaultValueFactory = _ => NoiseMechanism.Laplace };
        var delta = new Option<double>("--delta") { Description = "δ of the Gaussian mechanism per published cell", DefaultValueFactory = _ => AllianceSettings.DefaultDelta };
        var perQuery = new Option<double>("--epsilon-per-query") { Description = "ε a query spends per published cell unless it asks for another", DefaultValueFactory = _ => AllianceSettings.DefaultEpsilonPerQuery };
        var update = new Option<bool>("--update") { Description = "Change an existing alliance's settings instead of creating one" };
        alliance.Subcommands.Add(Make(output, "create", "Create (or with --update change) an alliance and its disclosure rules.", [id, name, minCompanies, maxShare, dp, budget, perQuery, mechanism, delta, update], async (app, p, ct) =>
        {
            var settings = new AllianceSettings(p.GetValue(id)!, p.GetValue(name) ?? p.GetValue(id)!, p.GetValue(minCompanies), p.GetValue(maxShare), p.GetValue(dp), p.GetValue(budget), p.GetValue(perQuery),
                p.GetValue(mechanism)!, p.GetValue(delta));
            var store = Service<AllianceStore>(app);
            await (p.GetValue(update) ? store.UpdateAllianceAsync(AuditActor.Cli(), settings, ct) : store.CreateAllianceAsync(AuditActor.Cli(), settings, ct)).ConfigureAwait(false);
            return $"{(p.GetValue(update) ? "updated" : "created")} alliance '{settings.Id}' (k {settings.MinCompanies}, max share {settings.MaxShare.ToString(CultureInfo.InvariantCulture)}, differential privacy {(settings.DifferentialPrivacy ? settings.Mechanism : "off")})";
        }));

        var allianceId = Required("--alliance", "The alliance's id");
        var company = Required("--company", "The company's id");
        var remove = new Option<bool>("--remove") { Description = "Remove the company instead of adding it" };
        alliance.Subcommands.Add(Make(output, "member", "Add a company to an alliance (or remove it with --remove).", [allianceId, company, remove], async (app, p, ct) =>
        {
            var store = Service<AllianceStore>(app);
            var (a, c) = (p.GetValue(allianceId)!, p.GetValue(company)!);
            await (p.GetValue(remove) ? store.RemoveMemberAsync(AuditActor.Cli(), a, c, ct) : store.AddMemberAsync(AuditActor.Cli(), a, c, ct)).ConfigureAwait(false);
            return $"{(p.GetValue(remove) ? "removed" : "added")} company '{c}' {(p.GetValue(remove) ? "from" : "to")} alliance '{a}'";
        }));

        var plant = Required("--plant", "The plant's id");
        var line = Required("--line", "The line's id");
        var process = Required("--process-type", "A process type of the taxonomy");
        var family = Required("--product-family", "The line's product family");
        alliance.Subcommands.Add(Make(output, "tag-line", "Tag a line with a process type and a product family.", [company, plant, line, process, family], async (app, p, ct) =>
        {
            await Service<AllianceStore>(app).TagLineAsync(AuditActor.Cli(), p.GetValue(company)!, p.GetValue(plant)!, p.GetValue(line)!, p.GetValue(process)!, p.GetValue(family)!, ct).ConfigureAwait(false);
            return $"tagged line '{p.GetValue(company)}/{p.GetValue(plant)}/{p.GetValue(line)}' as '{p.GetValue(process)}', family '{p.GetValue(family)}'";
        }));

        var from = new Option<DateTimeOffset>("--from") { Description = "First day to recompute (UTC)", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "Day after the last to recompute (UTC)", Required = true };
        alliance.Subcommands.Add(Make(output, "rollup", "Recompute the line-day sums benchmarks read, and the spans holding those days, e.g. after uploads older than Hub:Alliance:RollupDays.", [from, to], async (app, p, ct) =>
        {
            var rows = await Service<LineDayRollup>(app).RollAsync(p.GetValue(from), p.GetValue(to), ct).ConfigureAwait(false);
            return $"rolled up {rows} line-day rows from {p.GetValue(from):yyyy-MM-dd} to {p.GetValue(to):yyyy-MM-dd}";
        }));
        alliance.Subcommands.Add(PolicyCommand(output, allianceId, company));
        alliance.Subcommands.Add(StandingCommand(output, allianceId, company, process));
        return alliance;
    }

    private static Command PolicyCommand(TextWriter output, Option<string> allianceId, Option<string> company)
    {
        var metric = Required("--metric", $"The metric family: {MetricFamilies.List}");
        var plant = new Option<string?>("--plant") { Description = "Only this plant (default: the whole company)" };
        var line = new Option<string?>("--line") { Description = "Only this line of --plant" };
        var level = new Option<string?>("--level") { Description = "private, alliance-aggregate or named" };
        var named = new Option<string[]>("--named") { Description = "The companies a 'named' policy shares with", AllowMultipleArgumentsPerToken = true };
        var purposes = new Option<string[]>("--purpose") { Description = "benchmarking and/or model-development", AllowMultipleArgumentsPerToken = true };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the policy ends (ISO 8601)" };
        var revoke = new Option<bool>("--revoke") { Description = "Revoke the policy of that scope instead of setting one" };
        return Make(output, "policy", "Set (or with --revoke revoke) a company's sharing policy for a metric family, as its company admin would.",
            [allianceId, company, metric, plant, line, level, named, purposes, expires, revoke], async (app, p, ct) =>
            {
                var store = Service<PolicyStore>(app);
                var family = MetricFamilies.Parse("--metric", p.GetValue(metric));
                var (a, c) = (p.GetValue(allianceId)!, p.GetValue(company)!);
                if (!await Service<AllianceStore>(app).IsMemberAsync(a, c, ct).ConfigureAwait(false))
                {
                    throw HubProblemException.NotFound($"company '{c}' is not a member of alliance '{a}'.");
                }

                if (p.GetValue(revoke))
                {
                    await store.RevokeAsync(AuditActor.Cli(), a, c, family, p.GetValue(plant), p.GetValue(line), ct).ConfigureAwait(false);
                    return $"revoked the '{MetricFamilies.Name(family)}' policy of company '{c}' in alliance '{a}'";
                }

                var set = await store.SetAsync(AuditActor.Cli(), a, c, family,
                    new PolicyRequest(p.GetValue(plant), p.GetValue(line), p.GetValue(level), p.GetValue(named), p.GetValue(purposes), p.GetValue(expires)), ct).ConfigureAwait(false);
                return $"company '{c}' shares '{set.Metric}' at level '{set.Level}' in alliance '{a}' for {string.Join(", ", set.Purposes)} until {set.ExpiresUtc:O}";
            });
    }

    private static Command StandingCommand(TextWriter output, Option<string> allianceId, Option<string> company, Option<string> process)
    {
        var from = new Option<DateTimeOffset?>("--from") { Description = "First day (default: 30 days before --to)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Day after the last (default: today, UTC)" };
        var html = Required("--html", "Write the report (HTML with inline SVG) to this file");
        return Make(output, "standing", "Write a company's 'where do we stand' report for its management (audited, and under differential privacy paid from the CLI user's budget).",
            [allianceId, company, process, from, to, html], async (app, p, ct) =>
            {
                var store = Service<AllianceStore>(app);
                var settings = await store.FindAsync(p.GetValue(allianceId)!, ct).ConfigureAwait(false)
                    ?? throw HubProblemException.NotFound($"alliance '{p.GetValue(allianceId)}' does not exist.");
                if (!await store.IsMemberAsync(settings.Id, p.GetValue(company)!, ct).ConfigureAwait(false))
                {
                    throw HubProblemException.NotFound($"company '{p.GetValue(company)}' is not a member of alliance '{settings.Id}'.");
                }

                var end = DateTimeOffset.FromUnixTimeSeconds(LineDayRollup.DayStart(p.GetValue(to) ?? DateTimeOffset.UtcNow));
                var start = DateTimeOffset.FromUnixTimeSeconds(LineDayRollup.DayStart(p.GetValue(from) ?? end.AddDays(-30)));
                if (start >= end)
                {
                    throw HubProblemException.BadRequest($"--from {start:yyyy-MM-dd} must be before --to {end:yyyy-MM-dd}.");
                }

                var actor = AuditActor.Cli();
                var standing = await Service<StandingQuery>(app).RunAsync(settings, p.GetValue(company)!, p.GetValue(process)!, start, end, $"cli:{actor.Who}", actor, ct).ConfigureAwait(false);
                await File.WriteAllTextAsync(p.GetValue(html)!, StandingReport.Render(standing), ct).ConfigureAwait(false);
                return $"wrote the standing of '{standing.Company}' in '{standing.ProcessType}' ({standing.Metrics.Count(m => m.Alliance.Published)} of {standing.Metrics.Count} metrics published) to {p.GetValue(html)}";
            });
    }

    private static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    private static T Service<T>(WebApplication app)
        where T : notnull => app.Services.GetRequiredService<T>();

    private static Command Make(TextWriter output, string name, string description, Option[] options, Func<WebApplication, ParseResult, CancellationToken, Task<string>> action)
    {
        var (provider, connection) = AdminCommands.DatabaseOptions();
        var command = new Command(name, description) { provider, connection };
        foreach (var o in options)
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                await using var app = await HubCli.ServicesAsync(parse.GetValue(provider), parse.GetValue(connection)).ConfigureAwait(false);
                await output.WriteLineAsync(await action(app, parse, ct).ConfigureAwait(false)).ConfigureAwait(false);
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
}
