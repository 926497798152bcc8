using System.Diagnostics;
using AiFactory.Edge.Config;
using AiFactory.Onnx;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Live;

/// <summary>
/// Runs a line (<see cref="LineRunner"/>) from the command line: prints what runs, serves the status endpoint,
/// reloads the configuration file when it is edited, and prints a summary when stopped.
/// </summary>
public static class LiveLine
{
    /// <summary>How long a configuration file must stay unchanged after an edit before it is reloaded.</summary>
    public static readonly TimeSpan ReloadQuiet = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(EdgeConfig config, TextWriter console, ILoggerFactory logs, double durationSeconds, CancellationToken cancellationToken, int statusPort = 0, bool watch = false)
    {
        using var environment = OnnxEnvironment.Create();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (durationSeconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(durationSeconds));
        }

        await using var line = LineRunner.Start(config, environment, console, logs, TimeProvider.System);
        await console.WriteLineAsync($"AiFactory edge agent — {config.File}; ONNX Runtime {OnnxEnvironment.RuntimeVersion}").ConfigureAwait(false);
        foreach (var s in line.Stations)
        {
            var card = s.Definition.Card;
            var how = card.IsAnomaly ? $"calibrating on its first {card.Calibration!.Samples} samples" : $"{card.Output.Classes.Count} classes, one verdict per {(s.Definition.Frame.Trigger is null ? "sample" : $"'{s.Definition.Frame.Trigger}'")}";
            await console.WriteLineAsync($"  {s.Definition.Name}: {card.Name} {card.Version}, {how}").ConfigureAwait(false);
        }

        using var watcher = watch ? new ConfigWatcher(config.File, ReloadQuiet, TimeProvider.System, () => _ = line.ReloadFromFileAsync(config.File)) : null;
        if (watcher is not null)
        {
            await console.WriteLineAsync($"watching {config.File}: edits are applied while running").ConfigureAwait(false);
        }

        await console.WriteLineAsync("Ctrl+C stops.").ConfigureAwait(false);
        using var status = statusPort > 0 ? new StatusEndpoint(statusPort, line) : null;
        if (status is not null)
        {
            await console.WriteLineAsync($"status: http://127.0.0.1:{statusPort}/status").ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        try
        {
            await line.RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await line.StopAsync().ConfigureAwait(false);
        await line.Printer.SummaryAsync(clock.Elapsed, line.Sources, line.Stations, line.Models).ConfigureAwait(false);
        if (line.Reloads + line.ReloadsRefused > 0)
        {
            await console.WriteLineAsync($"configuration: {line.Reloads} reload(s) applied, {line.ReloadsRefused} refused").ConfigureAwait(false);
        }

        if (line.Outputs.Plc is { } plc)
        {
            await console.WriteLineAsync($"output modbus: {plc.Writes} verdict changes written, {plc.Failures} failed{(plc.Status.LastError is { } pe ? $"; last problem: {pe}" : string.Empty)}").ConfigureAwait(false);
        }

        if (line.Outputs.Publisher is { } publisher)
        {
            await console.WriteLineAsync($"output mqtt: {publisher.Published} verdicts published to {publisher.TopicFor("<station>")}, {publisher.Failed} refused{(publisher.Status.LastError is { } e ? $"; last problem: {e}" : string.Empty)}").ConfigureAwait(false);
        }

        return 0;
    }
}
