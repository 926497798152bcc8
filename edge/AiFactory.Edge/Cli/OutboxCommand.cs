using System.CommandLine;
using System.Globalization;
using AiFactory.Edge.Config;
using AiFactory.Edge.Uplink.Outbox;

namespace AiFactory.Edge.Cli;

/// <summary>
/// `aifactory-edge outbox status|list|requeue`: the outbox seen from outside the agent, while it runs or not (the
/// agent keeps the file in SQLite's normal locking mode and WAL, so reading never waits for it and a requeue waits
/// at most for one of its short write transactions).
/// </summary>
internal static class OutboxCommand
{
    public static Command Create(TextWriter console)
    {
        var command = new Command("outbox", "Inspect the uplink outbox (also while the agent runs): status, list the waiting records or dead letters, requeue dead letters.");
        command.Subcommands.Add(Status(console));
        command.Subcommands.Add(List(console));
        command.Subcommands.Add(Requeue(console));
        return command;
    }

    private static Command Status(TextWriter console)
    {
        var (outbox, config) = Where();
        var command = new Command("status", "What waits for the hub, the dead letters and the lifetime counters.") { outbox, config };
        command.SetAction((parse, _) => CliErrors.GuardAsync(console, async () =>
        {
            using var inspector = OutboxInspector.Open(PathOf(parse.GetValue(outbox), parse.GetValue(config)));
            var s = inspector.Status();
            var range = s.FirstSequence is { } first ? $", sequences {first}..{s.LastSequence}, oldest {s.OldestUtc:yyyy-MM-dd'T'HH:mm:ss'Z'}" : string.Empty;
            await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                outbox {s.Path} ({(s.AgentRunning ? "an agent is running with it" : "no agent is running with it")})
                waiting: {s.BacklogRecords} records ({s.BacklogBytes} bytes){range}
                dead letters: {s.DeadLetters}{(s.DeadLetters > 0 ? $" (list: aifactory-edge outbox list --dead --outbox {s.Path}; send again: aifactory-edge outbox requeue --outbox {s.Path})" : string.Empty)}
                next sequence: {s.NextSequence}
                lifetime: {s.DroppedOldest} dropped (drop-oldest), {s.RejectedNew} refused (reject-new), {s.DeadLettered} dead-lettered, {s.Quarantined} quarantined
                """)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command List(TextWriter console)
    {
        var (outbox, config) = Where();
        var dead = new Option<bool>("--dead") { Description = "List the dead letters (with when and why) instead of the waiting records" };
        var limit = new Option<int>("--limit") { Description = "At most this many, oldest first", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "The oldest waiting records, or the dead letters: sequence, created, kind, bytes (and for a dead letter when and why).") { outbox, config, dead, limit };
        command.SetAction((parse, _) => CliErrors.GuardAsync(console, async () =>
        {
            var n = parse.GetValue(limit) is >= 1 and var l ? l : throw new ArgumentException($"--limit must be at least 1 (was {parse.GetValue(limit)})");
            using var inspector = OutboxInspector.Open(PathOf(parse.GetValue(outbox), parse.GetValue(config)));
            var rows = inspector.List(parse.GetValue(dead), n);
            await console.WriteLineAsync(parse.GetValue(dead) ? "sequence\tcreated\tkind\tbytes\tdead\treason" : "sequence\tcreated\tkind\tbytes").ConfigureAwait(false);
            foreach (var r in rows)
            {
                var line = string.Create(CultureInfo.InvariantCulture, $"{r.Sequence}\t{r.CreatedUtc:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\t{r.Kind}\t{r.Bytes}");
                await console.WriteLineAsync(r.DeadUtc is { } d ? string.Create(CultureInfo.InvariantCulture, $"{line}\t{d:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\t{r.Reason}") : line).ConfigureAwait(false);
            }

            await console.WriteLineAsync($"{rows.Count} {(parse.GetValue(dead) ? "dead letter(s)" : "waiting record(s)")} shown").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Requeue(TextWriter console)
    {
        var (outbox, config) = Where();
        var command = new Command("requeue", "Put every dead letter back in the backlog under a new sequence (e.g. once the hub knows the station it refused); the agent sends them with its next batch.") { outbox, config };
        command.SetAction((parse, _) => CliErrors.GuardAsync(console, async () =>
        {
            using var inspector = OutboxInspector.Open(PathOf(parse.GetValue(outbox), parse.GetValue(config)), write: true);
            var count = inspector.RequeueDeadLetters();
            await console.WriteLineAsync(count == 0
                ? $"outbox {inspector.Path}: no dead letters to requeue"
                : $"outbox {inspector.Path}: {count} dead letter(s) requeued under new sequences; {(inspector.AgentRunning ? "the running agent sends them with its next batch" : "the agent sends them when it next runs")}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static (Option<string?> Outbox, Option<string?> Config) Where() =>
        (new Option<string?>("--outbox") { Description = "The outbox file" },
         new Option<string?>("--config") { Description = "The agent's configuration file: its uplink.outbox.path" });

    private static string PathOf(string? outbox, string? config) => (outbox, config) switch
    {
        ({ } path, null) => path,
        (null, { } file) => EdgeConfigReader.Read(file).Uplink?.Outbox.Path ?? throw new ArgumentException($"{file}: no uplink: section, so this agent keeps no outbox"),
        (null, null) => throw new ArgumentException("say which outbox: --outbox FILE, or --config FILE for the one its uplink: section names"),
        _ => throw new ArgumentException("give --outbox or --config, not both"),
    };
}
