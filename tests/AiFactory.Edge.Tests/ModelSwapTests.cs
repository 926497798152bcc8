using System.Collections.Concurrent;
using System.Threading.Channels;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Samples;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Live;
using AiFactory.Onnx;
using AiFactory.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Edge.Tests;

/// <summary>
/// Swapping a station's model while samples stream in, as a deployment does (<see cref="LineRuntime.ApplyAsync"/>
/// between two routing rounds): every sample gets exactly one result, from exactly one model, and the models follow
/// each other in stream order (no sample of the old model after one of the new).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelSwapTests : IDisposable
{
    /// <summary>Samples written after the last swap (the last model calibrates and scores too).</summary>
    private const int After = 2_000;
    private const int Swaps = 5;
    private static readonly string[] Tags = ["Accelerometer1RMS", "Accelerometer2RMS", "Volume Flow RateRMS"];
    private readonly TempDirectory _dir = new("aifactory-swap-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SwapsWhileSamplesFlow_EverySampleIsScoredOnceByOneModelInStreamOrder()
    {
        var versions = Enumerable.Range(1, Swaps + 1).Select(v => $"7.0.{v}").ToArray();
        var folders = versions.Select(Copy).ToArray();
        File.WriteAllText(_dir.File("line.yaml"), $$"""
            sources:
              - {name: pump-sim, type: simulator, kind: pump, station: pump-1, speed: 100}
            stations:
              - name: pump-1
                model: {{folders[0]}}
                tags: {{{string.Join(", ", Tags.Select(t => $"{t}: pump-1/{t}"))}}}
            """);
        var config = EdgeConfigReader.Read(_dir.File("line.yaml")) with { Sources = [] };
        var results = new ConcurrentQueue<AnomalyResult>();
        var scored = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        using var environment = OnnxEnvironment.Create();
        using var stop = new CancellationTokenSource();
        var channel = Channel.CreateBounded<TagSample>(new BoundedChannelOptions(1000) { SingleReader = true });
        LineRuntime? line = null;
        line = new LineRuntime(
            config, environment, DynamicBatcherOptions.Line, NullLoggerFactory.Instance,
            (s, package, _) => new LiveStation(s, package, line!.Tags, r =>
            {
                results.Enqueue(r);
                if (!r.Calibrating)
                {
                    scored[r.ModelVersion] = true;
                }
            }, _ => { }),
            channel, stop.Token);
        await using var scope = line;
        line.Start();
        var routing = line.RouteAsync();
        var start = DateTimeOffset.UnixEpoch.AddYears(56);
        var swapped = new TaskCompletionSource();
        var writing = Task.Run(async () =>
        {
            // Samples keep coming until every swap is done, then After more.
            var i = 0;
            for (var left = After; left > 0; i++, left -= swapped.Task.IsCompleted ? 1 : 0)
            {
                foreach (var (tag, f) in Tags.Select((t, f) => (t, f)))
                {
                    await line.Writer.WriteAsync(new TagSample($"pump-1/{tag}", start.AddMilliseconds(i), 1 + (f * 0.1) + (Math.Sin(i / 7.0) * 0.05)));
                }
            }

            line.Writer.Complete();
            return i;
        });

        // Each swap waits until the running model has finished its calibration and scored a sample, then swaps while samples keep coming.
        var station = config.Stations[0];
        for (var v = 1; v <= Swaps; v++)
        {
            var running = versions[v - 1];
            await Eventually.WaitFor(() => scored.ContainsKey(running), $"model {running} scoring", TimeSpan.FromSeconds(60));
            var next = station with { ModelFolder = folders[v], Card = ModelCardReader.Read(folders[v]), Fingerprint = station.Fingerprint + versions[v] };
            await line.ApplyAsync(config with { Stations = [next] });
        }

        swapped.SetResult();
        var samples = await writing;
        await routing;
        await line.DrainAsync();

        var all = results.ToList();
        Assert.Equal(samples, all.Count);
        Assert.Equal(samples, all.Select(r => r.Timestamp).Distinct().Count());
        Assert.All(all, r => Assert.Null(r.Error));
        var inOrder = all.OrderBy(r => r.Timestamp).Select(r => Array.IndexOf(versions, r.ModelVersion)).ToList();
        Assert.Equal(inOrder.Order(), inOrder);
        Assert.Equal(Enumerable.Range(0, Swaps + 1), inOrder.Distinct());
    }

    private string Copy(string version)
    {
        var folder = Directory.CreateDirectory(_dir.File(version)).FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.Model("pump-vibration-flow")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var card = Path.Combine(folder, "card.yaml");
        File.WriteAllText(card, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(card), "(?m)^version: .*$", $"version: {version}"));
        return folder;
    }
}
