using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Simulation;

/// <summary>
/// A plate-inspection station: for every inspected defect region it emits the 27 geometric and luminosity
/// features of the steel-plates data set's schema (consistent with each other: areas, perimeters, logs,
/// indices), then the trigger tag "&lt;station&gt;/part_complete". Values are synthetic, drawn from
/// plausible ranges for a hot-rolled plate line; no recorded data is used.
/// </summary>
public sealed class PlateSimulator(string station, int seed, double speed, TimeProvider? time = null) : ISampleSource
{
    public static readonly string[] Features =
    [
        "X_Minimum", "X_Maximum", "Y_Minimum", "Y_Maximum", "Pixels_Areas", "X_Perimeter", "Y_Perimeter",
        "Sum_of_Luminosity", "Minimum_of_Luminosity", "Maximum_of_Luminosity", "Length_of_Conveyer",
        "TypeOfSteel_A300", "TypeOfSteel_A400", "Steel_Plate_Thickness", "Edges_Index", "Empty_Index",
        "Square_Index", "Outside_X_Index", "Edges_X_Index", "Edges_Y_Index", "Outside_Global_Index",
        "LogOfAreas", "Log_X_Index", "Log_Y_Index", "Orientation_Index", "Luminosity_Index", "SigmoidOfAreas",
    ];

    public const string Trigger = "part_complete";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly string[] _tags = Features.Select(f => $"{station}/{f}").ToArray();
    private readonly string _trigger = $"{station}/{Trigger}";

    public string Name => station;

    public SourceStatus Status { get; } = new();

    /// <summary>Simulated seconds between parts.</summary>
    public double PartInterval { get; init; } = 2.0;

    public async Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var start = _time.GetUtcNow();
        var paced = _time.GetTimestamp();
        Status.SetState(SourceState.Connected);
        try
        {
            for (long part = 0; !cancellationToken.IsCancellationRequested; part++)
            {
                var stamp = start.AddSeconds(part * PartInterval);
                var values = Part(random);
                for (var i = 0; i < values.Length; i++)
                {
                    await writer.WriteAsync(new TagSample(_tags[i], stamp, values[i]), cancellationToken).ConfigureAwait(false);
                    Status.CountSample();
                }

                await writer.WriteAsync(new TagSample(_trigger, stamp, part), cancellationToken).ConfigureAwait(false);
                await PaceAsync(paced, (part + 1) * PartInterval / speed, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Status.SetState(SourceState.Stopped);
        }
    }

    private static double[] Part(Random r)
    {
        // Region size spans small spots (scratches, stains) to large areas (pastry, bumps), log-uniformly.
        var width = Math.Round(Math.Pow(10, 0.5 + (r.NextDouble() * 2.0)));
        var height = Math.Round(Math.Pow(10, 0.5 + (r.NextDouble() * 2.3)));
        var xMin = Math.Round(r.NextDouble() * (1650 - width));
        var yMin = Math.Round(r.NextDouble() * 5_000_000);
        var fill = 0.3 + (r.NextDouble() * 0.6);
        var area = Math.Max(2, Math.Round(width * height * fill));
        var xPerimeter = Math.Round(width * (1 + r.NextDouble()));
        var yPerimeter = Math.Round(height * (1 + r.NextDouble()));
        var minLum = Math.Round(20 + (r.NextDouble() * 100));
        var maxLum = Math.Round(Math.Min(253, minLum + 20 + (r.NextDouble() * 100)));
        var meanLum = minLum + ((maxLum - minLum) * (0.3 + (r.NextDouble() * 0.4)));
        var conveyor = Math.Round(1230 + (r.NextDouble() * 560));
        var a300 = r.NextDouble() < 0.4 ? 1.0 : 0.0;
        var thickness = new[] { 40, 50, 60, 70, 80, 100, 143, 200, 300 }[r.Next(9)];
        var edges = r.NextDouble() * 0.9;
        var square = Math.Min(width, height) / Math.Max(width, height);
        var outsideX = width / conveyor;
        var logArea = Math.Log10(area);
        var orientation = 1.0 - (width / height > 1 ? height / width : width / height) * (width > height ? -1 : 1);
        return
        [
            xMin, xMin + width, yMin, yMin + height, area, xPerimeter, yPerimeter,
            Math.Round(area * meanLum), minLum, maxLum, conveyor,
            a300, 1.0 - a300, thickness, edges, 1.0 - fill,
            square, outsideX, Math.Min(1, width / xPerimeter), Math.Min(1, height / yPerimeter), r.NextDouble() < 0.5 ? 0.0 : 1.0,
            logArea, Math.Log10(Math.Max(1, width)), Math.Log10(Math.Max(1, height)), Math.Clamp(orientation, -1, 1), (meanLum / 128.0) - 1.0, 1.0 / (1.0 + Math.Exp(-(logArea - 2.5) * 2)),
        ];
    }

    // Paces against the start, not sample to sample, so timer slack never accumulates into drift.
    private async Task PaceAsync(long started, double dueSeconds, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromSeconds(dueSeconds) - _time.GetElapsedTime(started);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
