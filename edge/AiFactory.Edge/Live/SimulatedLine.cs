using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Sources.Simulation;
using AiFactory.Onnx;

namespace AiFactory.Edge.Live;

/// <summary>
/// The embedded default line: a simulated pump station scored by models/pump-anomaly and a simulated
/// plate-inspection station scored by models/steel-defects, through the same stations, DynamicBatchers and
/// ONNX Runtime the replay path uses. Prints verdicts live, then a summary.
/// </summary>
public static class SimulatedLine
{
    private const string Pump = "pump-1";
    private const string Plate = "plate-1";

    public static async Task<int> RunAsync(SimulatedLineOptions options, TextWriter console, CancellationToken cancellationToken)
    {
        var models = ModelLocator.Find(options.ModelsFolder);
        using var environment = OnnxEnvironment.Create();
        var batching = new DynamicBatcherOptions { MaxBatchSize = 32, MaxQueueDelayMicroseconds = 500 };
        await using var pumpModel = ModelPackage.Load(Path.Combine(models, "pump-anomaly"), environment, batching);
        await using var plateModel = ModelPackage.Load(Path.Combine(models, "steel-defects"), environment, batching);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.DurationSeconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(options.DurationSeconds));
        }

        var printer = new LivePrinter(console, pumpModel.Card, plateModel.Card);
        var pump = new AnomalyStation(Pump, pumpModel.Card, pumpModel.Batcher, printer.OnAnomaly, maxInFlight: 1);
        var plate = new ClassifierStation(Plate, plateModel.Card, plateModel.Batcher, printer.OnPart, maxInFlight: 1);
        var pumpTags = new StationAssembler(Pump, PumpSimulator.Features);
        var plateTags = new StationAssembler(Plate, PlateSimulator.Features, PlateSimulator.Trigger);
        var pumpFeatures = pumpModel.Card.Input.Features.Select(f => Array.IndexOf(PumpSimulator.Features, f)).ToArray();
        var plateFeatures = plateModel.Card.Input.Features.Select(f => Array.IndexOf(PlateSimulator.Features, f)).ToArray();
        if (pumpFeatures.Contains(-1) || plateFeatures.Contains(-1))
        {
            throw new ArgumentException("the models' features are not all produced by the simulator (pump-anomaly needs " + string.Join(", ", pumpModel.Card.Input.Features) + ")");
        }

        await console.WriteLineAsync($"AiFactory edge agent — simulated line, ONNX Runtime {OnnxEnvironment.RuntimeVersion}, speed ×{options.Speed}, seed {options.Seed}").ConfigureAwait(false);
        await console.WriteLineAsync($"  {Pump}: {pumpModel.Card.Name} {pumpModel.Card.Version}, calibrating on its first {pumpModel.Card.Calibration!.Samples} samples; a valve-closure fault recurs every 300 s (simulated) from t=520 s").ConfigureAwait(false);
        await console.WriteLineAsync($"  {Plate}: {plateModel.Card.Name} {plateModel.Card.Version}, {plateModel.Card.Output.Classes.Count} defect classes, one part every 2 s (simulated)").ConfigureAwait(false);
        await console.WriteLineAsync("Ctrl+C stops.").ConfigureAwait(false);

        var channel = Channel.CreateBounded<TagSample>(new BoundedChannelOptions(10_000) { SingleReader = true });
        var sources = new ISampleSource[] { new PumpSimulator(Pump, options.Seed, options.Speed), new PlateSimulator(Plate, options.Seed + 1, options.Speed) };
        var running = sources.Select(s => s.RunAsync(channel.Writer, stop.Token)).ToArray();
        var clock = Stopwatch.StartNew();
        try
        {
            await foreach (var sample in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                if (pumpTags.Add(sample) is { } p)
                {
                    await pump.AddAsync(sample.Timestamp, Pick(p, pumpFeatures), CancellationToken.None).ConfigureAwait(false);
                }
                else if (plateTags.Add(sample) is { } part)
                {
                    await plate.AddAsync(sample.Timestamp, Pick(part, plateFeatures), CancellationToken.None).ConfigureAwait(false);
                }

                printer.Tick();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        // Frames already submitted finish scoring: a stop never drops a verdict the line was owed.
        await Task.WhenAll(running).ConfigureAwait(false);
        await pump.FlushAsync().ConfigureAwait(false);
        await plate.FlushAsync().ConfigureAwait(false);
        await printer.SummaryAsync(clock.Elapsed, pumpModel.Batcher.Metrics, plateModel.Batcher.Metrics).ConfigureAwait(false);
        return 0;
    }

    private static double[] Pick(double[] values, int[] indices)
    {
        var picked = new double[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            picked[i] = values[indices[i]];
        }

        return picked;
    }
}
