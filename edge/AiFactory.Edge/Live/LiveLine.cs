using System.Diagnostics;
using System.Threading.Channels;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tags;
using AiFactory.Onnx;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Live;

/// <summary>
/// Runs a line: every source into one bounded channel, each sample to the stations its tag feeds, each
/// station's frames through its model's DynamicBatcher and ONNX Runtime; prints verdicts until stopped.
/// </summary>
public static partial class LiveLine
{
    public static async Task<int> RunAsync(
        EdgeConfig config, TextWriter console, ILoggerFactory logs, double durationSeconds, CancellationToken cancellationToken, int statusPort = 0,
        bool watchConfig = false, DynamicBatcherOptions? batching = null)
    {
        using var environment = OnnxEnvironment.Create();
        return await RunStationsAsync(config, environment, batching ?? DynamicBatcherOptions.Line, console, logs, durationSeconds, statusPort, watchConfig, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A station's tags' cumulative data-quality counters, for its window summaries (the station's current tags).</summary>
    private static Func<IReadOnlyList<AiFactory.Contracts.DataQualityCounters>> QualityOf(LineRuntime line, string station) => () =>
        line.Config.Stations.FirstOrDefault(s => s.Name == station) is { } d
            ? line.Tags.Snapshot(d.OrderedTags).Select(q => new AiFactory.Contracts.DataQualityCounters(q.Tag, q.Stale, q.OutOfRange, q.NaN, q.Gaps, q.DecodeErrors)).ToList()
            : [];

    private static async Task<int> RunStationsAsync(
        EdgeConfig config, OnnxEnvironment environment, DynamicBatcherOptions batching, TextWriter console, ILoggerFactory logs,
        double durationSeconds, int statusPort, bool watchConfig, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (durationSeconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(durationSeconds));
        }

        var log = logs.CreateLogger("AiFactory.Edge.Live.LiveLine");
        var printer = new LivePrinter(console);

        // Replaced as a whole when a reload changes the outputs section; stations read the current set per verdict.
        var outputs = new VerdictOutputsSlot(new VerdictOutputs(config, logs));
        var channel = Channel.CreateBounded<TagSample>(new BoundedChannelOptions(10_000) { SingleReader = true });
        LineRuntime? line = null;
        EdgeUplink? uplink = null;

        // With an uplink the hub may deploy models: the agent starts with the last good ones it verified, hub or no hub.
        await using var deployer = config.Uplink is { } deploying ? new ModelDeployer(deploying, config, environment, log) : null;
        config = deployer?.Overlay(config) ?? config;
        LiveStation CreateStation(StationDefinition s, ModelPackage package, ModelPackage? shadow)
        {
            var models = deployer?.Track(s);
            return new LiveStation(
                s,
                package,
                line!.Tags,
                r =>
                {
                    printer.OnAnomaly(r);
                    uplink?.OnAnomaly(r);
                    outputs.Current.OnAnomaly(r);
                    models?.OnAnomaly(r, isShadow: false);
                },
                r =>
                {
                    printer.OnClassification(r);
                    uplink?.OnClassification(r);
                    outputs.Current.OnClassification(r, s.Card.Output.Classes);
                    models?.OnClassification(r, deployer!.IsDefect(s.Name, r.ClassName), isShadow: false);
                },
                shadow,
                r => models?.OnAnomaly(r, isShadow: true),
                r => models?.OnClassification(r, deployer!.IsDefect(s.Name, r.ClassName), isShadow: true));
        }

        line = new LineRuntime(config, environment, batching, logs, CreateStation, channel, stop.Token) { Routed = printer.Tick, RoundEnded = () => outputs.Current.EndOfRound() };
        await using var lineScope = line;
        uplink = config.Uplink is { } u ? await EdgeUplink.StartAsync(u, config.Stations, logs, name => QualityOf(line, name)).ConfigureAwait(false) : null;
        if (uplink is not null)
        {
            // Raw frames go up only for stations that opted in (raw_upload: true); the uplink checks which.
            line.FrameBuilt = (station, frame) =>
            {
                uplink.OnFrame(station, frame);
                deployer?.OnFrame(station, frame.Values);
            };
        }

        await using var uplinkScope = (IAsyncDisposable?)uplink;
        line.Start();
        deployer?.Start(line);
        await console.WriteLineAsync($"AiFactory edge agent — {config.File}; ONNX Runtime {OnnxEnvironment.RuntimeVersion}").ConfigureAwait(false);
        foreach (var s in line.Stations)
        {
            var card = s.Definition.Card;
            var how = card.IsAnomaly ? $"calibrating on its first {card.Calibration!.Samples} samples" : $"{card.Output.Classes.Count} classes, one verdict per {(s.Definition.Trigger is null ? "sample" : $"'{s.Definition.Trigger}'")}";
            await console.WriteLineAsync($"  {s.Definition.Name}: {card.Name} {card.Version}, {how}").ConfigureAwait(false);
        }

        if (uplink is not null)
        {
            await console.WriteLineAsync(uplink.Describe()).ConfigureAwait(false);
        }

        using var status = statusPort > 0 ? new StatusEndpoint(statusPort, () => line.Sources, () => line.Models, line.Tags, () => line.Stations.Select(s => s.Aligner).ToList(), uplink is null ? null : uplink.Counts) : null;
        if (status is not null)
        {
            await console.WriteLineAsync($"status: http://127.0.0.1:{statusPort}/status").ConfigureAwait(false);
        }

        using var watcher = watchConfig ? new ConfigWatcher(config.File, () => _ = ReloadAsync(line, uplink, deployer, outputs, logs, console, log)) : null;
        if (watcher is not null)
        {
            await console.WriteLineAsync($"watching {config.File}: edits apply while running").ConfigureAwait(false);
        }

        await console.WriteLineAsync("Ctrl+C stops.").ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            await line.RouteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        if (deployer is not null)
        {
            await deployer.StopAsync().ConfigureAwait(false);
        }

        await line.DrainAsync().ConfigureAwait(false);
        var final = outputs.Current;
        await printer.SummaryAsync(clock.Elapsed, line.Sources, line.Models).ConfigureAwait(false);
        await printer.QualityAsync(line.Stations.Select(s => s.Aligner), line.Tags).ConfigureAwait(false);
        // Verdicts of the last frames may still be in the publisher's queue: let them leave before disconnecting.
        await final.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (final.Plc is { } plc)
        {
            await console.WriteLineAsync($"output modbus: {plc.Writes} verdict changes written, {plc.Failures} failed{(plc.Status.LastError is { } pe ? $"; last problem: {pe}" : string.Empty)}").ConfigureAwait(false);
        }

        if (uplink is not null)
        {
            await uplink.StopAsync(console).ConfigureAwait(false);
        }

        if (final.DescribeMqtt() is { } mqtt)
        {
            await console.WriteLineAsync(mqtt).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Re-reads the file; a valid edit is applied, an invalid one is logged with every problem and ignored.</summary>
    private static async Task ReloadAsync(LineRuntime line, EdgeUplink? uplink, ModelDeployer? deployer, VerdictOutputsSlot outputs, ILoggerFactory logs, TextWriter console, ILogger log)
    {
        EdgeConfig next;
        try
        {
            next = EdgeConfigReader.Read(line.Config.File);
            next = deployer?.Overlay(next) ?? next;
        }
        catch (EdgeConfigException ex)
        {
            LogRefused(log, line.Config.File, ex.Problems.Count, string.Join("; ", ex.Problems));
            await console.WriteLineAsync($"config {line.Config.File} not applied, the running line is unchanged: {string.Join("; ", ex.Problems)}").ConfigureAwait(false);
            return;
        }
        catch (IOException ex)
        {
            LogRefused(log, line.Config.File, 1, ex.Message);
            return;
        }

        try
        {
            var outputsChanged = next.OutputsFingerprint != line.Config.OutputsFingerprint;
            var outcome = await line.ApplyAsync(next, s =>
            {
                uplink?.AddStation(s, next.Uplink, name => QualityOf(line, name));
                return Task.CompletedTask;
            }).ConfigureAwait(false);
            if (outputsChanged)
            {
                // Verdicts are delivered only under the line's gate: swapping there means no verdict uses the old set
                // while it stops.
                VerdictOutputs? previous = null;
                await line.RunExclusiveAsync(() =>
                {
                    previous = outputs.Replace(new VerdictOutputs(next, logs));
                    return Task.CompletedTask;
                }).ConfigureAwait(false);
                await previous!.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                outcome.OutputsRestarted = true;
            }

            LogApplied(log, line.Config.File, outcome.ToString());
            await console.WriteLineAsync($"config {line.Config.File} applied: {outcome}{(outcome.NeedsRestart ? "; edge/uplink changes apply at the next start" : string.Empty)}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ModelCardException or OnnxRuntimeException or IOException or ArgumentException)
        {
            LogRefused(log, line.Config.File, 1, ex.Message);
            await console.WriteLineAsync($"config {line.Config.File} could not be applied: {ex.Message}").ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration {File} not applied ({Count} problem(s)): {Problems}")]
    private static partial void LogRefused(ILogger logger, string file, int count, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration {File} applied: {Outcome}")]
    private static partial void LogApplied(ILogger logger, string file, string outcome);
}
