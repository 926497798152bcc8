using System.Text.RegularExpressions;
using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>`aifactory-edge outbox status|list|requeue` beside a running agent, and its errors.</summary>
[Trait("Category", "Integration")]
public sealed partial class OutboxCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-outbox-cli-").FullName;
    private FakeIngestHub _hub = null!;

    private string OutboxPath => Path.Combine(_dir, "outbox.db");

    public async Task InitializeAsync() => _hub = await FakeIngestHub.StartAsync();

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task StatusListRequeue_WhileTheAgentRuns_SeeItsDeadLettersAndEveryRequeuedSummaryReachesTheHubOnce()
    {
        // The hub refuses every window summary (400): the agent dead-letters each one.
        _hub.Refuse = r => r.Summary is not null;
        var config = WriteConfig();
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = CliRunner.RunAsync(TextWriter.Synchronized(output), stop.Token, "run", "--config", config);
        await Eventually.WaitFor(() => File.Exists(OutboxPath) && DeadLetters() >= 2, "two dead-lettered summaries");

        var (statusExit, status) = await CliRunner.RunAsync("outbox", "status", "--config", config);
        var (listExit, list) = await CliRunner.RunAsync("outbox", "list", "--dead", "--outbox", OutboxPath);

        Assert.Equal(0, statusExit);
        Assert.StartsWith($"outbox {OutboxPath} (an agent is running with it)", status, StringComparison.Ordinal);
        Assert.Matches(@"\ndead letters: [1-9]\d* \(list: ", status);
        Assert.Equal(0, listExit);
        Assert.StartsWith("sequence\tcreated\tkind\tbytes\tdead\treason\n", list, StringComparison.Ordinal);
        Assert.Matches(@"\n\d+\t\S+Z\tSummary\t\d+\t\S+Z\tthe hub refuses it \(400: records\[\d+\]\.event\.stationId: not registered under plant 'p1'\)", list);

        // The hub takes summaries again; the requeue runs beside the agent, which sends them on.
        _hub.Refuse = null;
        var (requeueExit, requeue) = await CliRunner.RunAsync("outbox", "requeue", "--outbox", OutboxPath);
        Assert.Equal(0, requeueExit);
        Assert.Matches(@"dead letter\(s\) requeued under new sequences; the running agent sends them with its next batch", requeue);
        await Eventually.WaitFor(() => DeadLetters() == 0 && _hub.Applied.Values.Count(r => r.Summary is not null) >= 2, "the requeued summaries at the hub");
        await stop.CancelAsync();
        Assert.Equal(0, await run);

        var committed = long.Parse(Summaries().Match(output.ToString()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(committed, _hub.Applied.Values.Count(r => r.Summary is not null));
        Assert.Equal(0, _hub.Duplicates);
        using var inspector = OutboxInspector.Open(OutboxPath);
        Assert.Equal((0L, 0L, false), (inspector.Status().BacklogRecords, inspector.Status().DeadLetters, inspector.AgentRunning));
    }

    [Fact]
    public async Task Status_WithoutOutboxOrConfig_SaysWhatToGive()
    {
        var (exit, output) = await CliRunner.RunAsync("outbox", "status");

        Assert.Equal(2, exit);
        Assert.Equal("error: say which outbox: --outbox FILE, or --config FILE for the one its uplink: section names\n", output);
    }

    [Fact]
    public async Task Status_MissingFile_NamesIt()
    {
        var (exit, output) = await CliRunner.RunAsync("outbox", "status", "--outbox", OutboxPath);

        Assert.Equal(2, exit);
        Assert.Equal($"error: outbox '{OutboxPath}': no such file (is the path the one in the configuration's uplink.outbox.path, relative to the configuration file?)\n", output);
    }

    [Fact]
    public async Task List_LimitZero_IsRefused()
    {
        var (exit, output) = await CliRunner.RunAsync("outbox", "list", "--outbox", OutboxPath, "--limit", "0");

        Assert.Equal(2, exit);
        Assert.Equal("error: --limit must be at least 1 (was 0)\n", output);
    }

    [Fact]
    public async Task Status_ConfigWithoutUplink_SaysThereIsNoOutbox()
    {
        var config = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(config, $$"""
            sources:
            {{UplinkLineYaml.PumpSource}}
            stations:
            {{UplinkLineYaml.PumpStation()}}
            """);

        var (exit, output) = await CliRunner.RunAsync("outbox", "requeue", "--config", config);

        Assert.Equal(2, exit);
        Assert.Equal($"error: {config}: no uplink: section, so this agent keeps no outbox\n", output);
    }

    private long DeadLetters()
    {
        using var inspector = OutboxInspector.Open(OutboxPath);
        return inspector.Status().DeadLetters;
    }

    private string WriteConfig()
    {
        Environment.SetEnvironmentVariable("AIFACTORY_OUTBOX_CLI_TEST_KEY", _hub.Key);
        var config = Path.Combine(_dir, "line.yaml");
        File.WriteAllText(config, UplinkLineYaml.PumpLine("edge-cli", _hub.Url, "AIFACTORY_OUTBOX_CLI_TEST_KEY"));
        return config;
    }

    [GeneratedRegex(@"uplink: (\d+) window summaries")]
    private static partial Regex Summaries();
}
