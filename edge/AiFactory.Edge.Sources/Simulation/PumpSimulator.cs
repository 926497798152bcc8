using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Sources.Simulation;

/// <summary>
/// A water-circulation pump station like SKAB's testbed, one sample of every tag per simulated second:
/// vibration RMS on two accelerometers, motor current, pressure, body and fluid temperature, voltage and
/// flow. A valve-closure fault recurs every <see cref="FaultPeriod"/>: while it lasts, flow drops and the
/// pump vibrates harder. Tags are named "&lt;station&gt;/&lt;feature&gt;".
/// </summary>
public sealed class PumpSimulator(string station, int seed, double speed, TimeProvider? time = null) : ISampleSource
{
    public static readonly string[] Features =
        ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS"];

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly string[] _tags = Features.Select(f => $"{station}/{f}").ToArray();

    public string Name => station;

    public SourceStatus Status { get; } = new();

    /// <summary>Simulated time between fault onsets; the first fault starts after the calibration window.</summary>
    public TimeSpan FaultPeriod { get; init; } = TimeSpan.FromSeconds(300);

    public TimeSpan FaultDuration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan FirstFault { get; init; } = TimeSpan.FromSeconds(520);

    /// <summary>True while the simulated fault is active at simulated second <paramref name="t"/>.</summary>
    public bool IsFault(long t)
    {
        var since = t - (long)FirstFault.TotalSeconds;
        return since >= 0 && since % (long)FaultPeriod.TotalSeconds < (long)FaultDuration.TotalSeconds;
    }

    public async Task RunAsync(ChannelWriter<TagSample> writer, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var start = _time.GetUtcNow();
        var paced = _time.GetTimestamp();
        var temperature = 79.0;
        Status.SetState(SourceState.Connected);
        try
        {
            for (long t = 0; !cancellationToken.IsCancellationRequested; t++)
            {
                var fault = IsFault(t);
                temperature += (random.NextDouble() - 0.5) * 0.05;
                double[] values =
                [
                    (fault ? 0.0305 : 0.0270) + Noise(random, 0.0006),
                    (fault ? 0.0445 : 0.0401) + Noise(random, 0.0008),
                    1.30 + Noise(random, 0.25),
                    0.20 + Noise(random, 0.15),
                    temperature,
                    26.0 + Noise(random, 0.05),
                    232.0 + Noise(random, 3.0),
                    (fault ? 27.5 : 32.0) + Noise(random, 0.35),
                ];
                var stamp = start.AddSeconds(t);
                for (var i = 0; i < values.Length; i++)
                {
                    await writer.WriteAsync(new TagSample(_tags[i], stamp, values[i]), cancellationToken).ConfigureAwait(false);
                    Status.CountSample();
                }

                await PaceAsync(paced, (t + 1) / speed, cancellationToken).ConfigureAwait(false);
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

    private static double Noise(Random random, double sigma)
    {
        // Box–Muller: normal noise from two uniforms.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
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
