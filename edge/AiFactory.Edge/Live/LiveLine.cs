using System.Diagnostics;
using System.Threading.Channels;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Core.Tags;
using AiFactory.Edge.Sources.Modbus;
using AiFactory.Edge.Sources.Mqtt;
using AiFactory.Onnx;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Live;

/// <summary>
/// Runs a line: every source into one bounded channel, each sample to the stations its tag feeds, each
/// station's frames through its model's DynamicBatcher and ONNX Runtime; prints verdicts until stopped.
/// </summary>
public static class LiveLine
{
    public static async Task<int> RunAsync(EdgeConfig config, TextWriter console, ILoggerFactory logs, double durationSeconds, CancellationToken cancellationToken, int statusPort = 0, DynamicBatcherOptions? batching = null)
    {
        using var environment = OnnxEnvironment.Create();
        batching ??= new DynamicBatcherOptions { MaxBatchSize = 32, MaxQueueDelayMicroseconds = 500 };
        var packages = new Dictionary<string, ModelPackage>(StringComparer.Ordinal);
        try
        {
            foreach (var folder in config.Stations.Select(s => s.ModelFolder).Distinct())
            {
                packages[folder] = ModelPackage.Load(folder, environment, batching);
            }

            return await RunStationsAsync(config, packages, console, logs, durationSeconds, statusPort, batching.MaxBatchSize, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var package in packages.Values)
            {
                await package.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>A station's tags' cumulative data-quality counters, for its window summaries.</summary>
    private static Func<IReadOnlyList<AiFactory.Contracts.DataQualityCounters>> QualityOf(EdgeConfig config, TagTable tags, string station)
    {
        var names = config.Stations.First(s => s.Name == station).OrderedTags;
        return () => tags.Snapshot(names).Select(q => new AiFactory.Contracts.DataQualityCounters(q.Tag, q.Stale, q.OutOfRange, q.NaN, q.Gaps, q.DecodeErrors)).ToList();
    }

    private static async Task<int> RunStationsAsync(EdgeConfig config, Dictionary<string, ModelPackage> packages, TextWriter console, ILoggerFactory logs, double durationSeconds, int statusPort, int maxInFlight, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (durationSeconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(durationSeconds));
        }

        var printer = new LivePrinter(console);
        using var publisher = config.MqttOutput is { } output ? new MqttResultPublisher(output.Broker, output.Topic, output.Qos, logs.CreateLogger<MqttResultPublisher>()) : null;
        var publishing = publisher?.StartAsync(stop.Token) ?? Task.FromResult(true);

        // Verdict codes for the PLC: anomaly stations 1 = anomalous, 0 = normal; classifiers class index + 1 (0 = none yet).
        using var plc = config.ModbusOutput is { } m ? new ModbusVerdictWriter(m.Bus, m.Slave, m.Registers, m.Coils) : null;
        var tags = new TagTable(config.Tags);
        await using var uplink = config.Uplink is { } u ? await EdgeUplink.StartAsync(u, config.Stations, logs, name => QualityOf(config, tags, name)).ConfigureAwait(false) : null;
        var stations = config.Stations.Select(s => new LiveStation(
            s,
            packages[s.ModelFolder],
            tags,
            maxInFlight,
            r =>
            {
                printer.OnAnomaly(r);
                uplink?.OnAnomaly(r);
                if (!r.Calibrating)
                {
                    publisher?.Publish(r.Station, ResultJson.Of(r));
                    plc?.Write(r.Station, r.Anomaly ? 1 : 0);
                }
            },
            r =>
            {
                printer.OnPart(r);
                uplink?.OnPart(r);
                publisher?.Publish(r.Station, ResultJson.Of(r, s.Card.Output.Classes));
                if (r.Error is null)
                {
                    plc?.Write(r.Station, r.ClassIndex + 1);
                }
            })).ToArray();
        await console.WriteLineAsync($"AiFactory edge agent — {config.File}; ONNX Runtime {OnnxEnvironment.RuntimeVersion}").ConfigureAwait(false);
        foreach (var s in stations)
        {
            var card = s.Definition.Card;
            var how = card.IsAnomaly ? $"calibrating on its first {card.Calibration!.Samples} samples" : $"{card.Output.Classes.Count} classes, one verdict per {(s.Definition.Trigger is null ? "sample" : $"'{s.Definition.Trigger}'")}";
            await console.WriteLineAsync($"  {s.Definition.Name}: {card.Name} {card.Version}, {how}").ConfigureAwait(false);
        }

        if (uplink is not null)
        {
            await console.WriteLineAsync(uplink.Describe()).ConfigureAwait(false);
        }

        await console.WriteLineAsync("Ctrl+C stops.").ConfigureAwait(false);
        var channel = Channel.CreateBounded<TagSample>(new BoundedChannelOptions(10_000) { SingleReader = true });
        var sources = config.Sources.Select(d => d.Create(logs)).ToArray();
        var running = sources.Select(s => s.RunAsync(channel.Writer, stop.Token)).ToArray();
        using var status = statusPort > 0 ? new StatusEndpoint(statusPort, sources, packages.Values.Select(p => p.Batcher.Metrics).ToArray(), tags, stations.Select(s => s.Aligner).ToArray()) : null;
        if (status is not null)
        {
            await console.WriteLineAsync($"status: http://127.0.0.1:{statusPort}/status").ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var frames = new List<AlignedFrame>(2);
            var reader = channel.Reader;
            while (await reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var read))
                {
                    var sample = read;
                    var usable = tags.Apply(ref sample);
                    foreach (var station in stations)
                    {
                        if (!station.Aligner.Uses(sample.Tag))
                        {
                            continue;
                        }

                        frames.Clear();
                        station.Aligner.Add(sample, usable, frames);
                        foreach (var frame in frames)
                        {
                            // Not cancellable: a frame already built is scored even while stopping.
                            await station.AddAsync(frame.Time, frame.Values).ConfigureAwait(false);
                        }
                    }

                    printer.Tick();
                }

                // Nothing more is waiting: deliver the frames in flight now instead of when the next sample comes.
                // Under load the stations keep up to a batch in flight, so the batcher sees full batches.
                foreach (var station in stations)
                {
                    await station.FlushAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        await publishing.ConfigureAwait(false);
        foreach (var station in stations)
        {
            await station.FlushAsync().ConfigureAwait(false);
        }

        await printer.SummaryAsync(clock.Elapsed, sources, packages.Values.Select(p => p.Batcher.Metrics)).ConfigureAwait(false);
        await printer.QualityAsync(stations.Select(s => s.Aligner), tags).ConfigureAwait(false);
        if (plc is not null)
        {
            await console.WriteLineAsync($"output modbus: {plc.Writes} verdict changes written, {plc.Failures} failed{(plc.Status.LastError is { } pe ? $"; last problem: {pe}" : string.Empty)}").ConfigureAwait(false);
        }

        if (uplink is not null)
        {
            await uplink.StopAsync(console).ConfigureAwait(false);
        }

        if (publisher is not null)
        {
            await console.WriteLineAsync($"output mqtt: {publisher.Published} verdicts published to {publisher.TopicFor("<station>")}, {publisher.Failed} refused{(publisher.Status.LastError is { } e ? $"; last problem: {e}" : string.Empty)}").ConfigureAwait(false);
        }
        return 0;
    }
}
