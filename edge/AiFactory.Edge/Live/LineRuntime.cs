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
/// The running part of a line that a configuration reload may change: sources, tag definitions and stations.
/// Samples are routed by one loop; a reload pauses it between two samples, stops and starts only the sources and
/// stations whose configuration changed, and lets it go on, so unchanged stations keep their calibration, windows
/// and frames in flight.
/// </summary>
internal sealed partial class LineRuntime : IAsyncDisposable
{
    private readonly OnnxEnvironment _environment;
    private readonly DynamicBatcherOptions _batching;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly Func<StationDefinition, ModelPackage, LiveStation> _createStation;
    private readonly ChannelWriter<TagSample> _writer;
    private readonly CancellationToken _stop;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _resultsReady = new(0, 1);
    private readonly Dictionary<string, ModelPackage> _packages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningSource> _sources = new(StringComparer.Ordinal);
    private readonly List<ISampleSource> _stopped = [];
    private readonly List<AlignedFrame> _frames = new(2);
    private volatile LiveStation[] _stations = [];

    public LineRuntime(
        EdgeConfig config, OnnxEnvironment environment, DynamicBatcherOptions batching, ILoggerFactory logs,
        Func<StationDefinition, ModelPackage, LiveStation> createStation, ChannelWriter<TagSample> writer, CancellationToken stop)
    {
        Config = config;
        _environment = environment;
        _batching = batching;
        _logs = logs;
        _log = logs.CreateLogger<LineRuntime>();
        _createStation = createStation;
        _writer = writer;
        _stop = stop;
        Tags = new TagTable(config.Tags);
    }

    public EdgeConfig Config { get; private set; }

    public TagTable Tags { get; }

    public IReadOnlyList<LiveStation> Stations => _stations;

    /// <summary>Running sources and those a reload stopped (so the summary still counts them).</summary>
    public IReadOnlyList<ISampleSource> Sources
    {
        get
        {
            lock (_sources)
            {
                return [.. _stopped, .. _sources.Values.Select(s => s.Source)];
            }
        }
    }

    public IReadOnlyList<BatcherMetrics> Models
    {
        get
        {
            lock (_packages)
            {
                return _packages.Values.Select(p => p.Batcher.Metrics).ToList();
            }
        }
    }

    /// <summary>Loads the models and starts every station and source of the configuration.</summary>
    public void Start()
    {
        _stations = Config.Stations.Select(d => _createStation(d, Package(d.ModelFolder))).ToArray();
        foreach (var d in Config.Sources)
        {
            StartSource(d);
        }
    }

    /// <summary>Called on the routing thread with every frame a station builds, before it is scored (raw upload).</summary>
    public Action<string, AlignedFrame>? FrameBuilt { get; set; }

    /// <summary>Routes samples to the stations until the channel completes or the agent stops.</summary>
    public async Task RouteAsync(ChannelReader<TagSample> reader)
    {
        // Results are delivered here, on the routing thread, as soon as they are there: after every sample, and,
        // while no sample comes, when a batcher signals that a batch has run. A wait that loses the race is kept
        // for the next round (a channel allows one pending wait; a lost semaphore wait would swallow a signal).
        Task<bool>? sampleWait = null;
        Task? resultsWait = null;
        while (true)
        {
            while (reader.TryRead(out var read))
            {
                await RouteOneAsync(read).ConfigureAwait(false);
                await DeliverCompletedAsync().ConfigureAwait(false);
            }

            if (await DeliverCompletedAsync().ConfigureAwait(false))
            {
                continue;
            }

            sampleWait ??= reader.WaitToReadAsync(_stop).AsTask();
            if (!sampleWait.IsCompleted && _stations.Any(s => s.InFlight > 0))
            {
                resultsWait ??= _resultsReady.WaitAsync(_stop);
                if (await Task.WhenAny(sampleWait, resultsWait).ConfigureAwait(false) == resultsWait)
                {
                    var done = resultsWait;
                    resultsWait = null;
                    await done.ConfigureAwait(false);
                    continue;
                }
            }

            var more = await sampleWait.ConfigureAwait(false);
            sampleWait = null;
            if (!more)
            {
                return;
            }
        }
    }

    /// <summary>A batcher has run a batch: wakes the routing loop if it waits for results.</summary>
    private void SignalResults()
    {
        if (_resultsReady.CurrentCount == 0)
        {
            try
            {
                _resultsReady.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another batcher signalled first: one wake is enough.
            }
        }
    }

    /// <summary>Delivers every station's results that are already there; answers whether any was.</summary>
    private async ValueTask<bool> DeliverCompletedAsync()
    {
        var any = false;
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (var station in _stations)
            {
                if (station.InFlight > 0)
                {
                    any |= await station.DeliverCompletedAsync().ConfigureAwait(false) > 0;
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return any;
    }

    private async Task RouteOneAsync(TagSample read)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var sample = read;
            var usable = Tags.Apply(ref sample);
            foreach (var station in _stations)
            {
                if (!station.Aligner.Uses(sample.Tag))
                {
                    continue;
                }

                _frames.Clear();
                station.Aligner.Add(sample, usable, _frames);
                foreach (var frame in _frames)
                {
                    FrameBuilt?.Invoke(station.Definition.Name, frame);

                    // Not cancellable: a frame already built is scored even while stopping.
                    await station.AddAsync(frame.Time, frame.Values).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        Routed?.Invoke();
    }

    /// <summary>Called after each routed sample (the printer's tick).</summary>
    public Action? Routed { get; init; }

    /// <summary>
    /// Applies a new, valid configuration: sources and stations are compared by their configuration text (and, for
    /// stations, their model files); only the changed ones are stopped and started. Answers what changed.
    /// </summary>
    public async Task<ReloadOutcome> ApplyAsync(EdgeConfig next, Func<StationDefinition, Task>? onNewStation = null)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var outcome = new ReloadOutcome();
            var oldSources = Config.Sources.ToDictionary(s => s.Name, StringComparer.Ordinal);
            var newSources = next.Sources.ToDictionary(s => s.Name, StringComparer.Ordinal);
            foreach (var (name, old) in oldSources)
            {
                if (!newSources.TryGetValue(name, out var now) || now.Fingerprint != old.Fingerprint)
                {
                    await StopSourceAsync(name).ConfigureAwait(false);
                    (now is null ? outcome.SourcesRemoved : outcome.SourcesRestarted).Add(name);
                }
            }

            foreach (var (name, now) in newSources)
            {
                if (!oldSources.TryGetValue(name, out var old) || old.Fingerprint != now.Fingerprint)
                {
                    StartSource(now);
                    if (old is null)
                    {
                        outcome.SourcesAdded.Add(name);
                    }
                }
            }

            Tags.Replace(next.Tags);
            var kept = new List<LiveStation>();
            var current = _stations.ToDictionary(s => s.Definition.Name, StringComparer.Ordinal);
            foreach (var d in next.Stations)
            {
                if (current.Remove(d.Name, out var running))
                {
                    if (running.Definition.Fingerprint == d.Fingerprint)
                    {
                        kept.Add(running);
                        continue;
                    }

                    await running.FlushAsync().ConfigureAwait(false);
                    outcome.StationsRestarted.Add(d.Name);
                }
                else
                {
                    outcome.StationsAdded.Add(d.Name);
                    if (onNewStation is not null)
                    {
                        await onNewStation(d).ConfigureAwait(false);
                    }
                }

                kept.Add(_createStation(d, Package(d.ModelFolder)));
            }

            foreach (var gone in current.Values)
            {
                await gone.FlushAsync().ConfigureAwait(false);
                outcome.StationsRemoved.Add(gone.Definition.Name);
            }

            _stations = kept.ToArray();
            outcome.NeedsRestart = next.RestartFingerprint != Config.RestartFingerprint;
            Config = next with { RestartFingerprint = Config.RestartFingerprint };
            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> while no sample is routed and no verdict is delivered (e.g. swapping outputs).</summary>
    public async Task RunExclusiveAsync(Func<Task> work)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Waits for every source to stop, routes the samples they had already handed over, and waits for every station
    /// to deliver its frames in flight: a sample a source counted is never left unscored at stop.
    /// </summary>
    public async Task DrainAsync(ChannelReader<TagSample> reader)
    {
        List<Task> running;
        lock (_sources)
        {
            running = _sources.Values.Select(s => s.Task).ToList();
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        while (reader.TryRead(out var sample))
        {
            await RouteOneAsync(sample).ConfigureAwait(false);
        }

        foreach (var station in _stations)
        {
            await station.FlushAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _sources.Keys.ToList())
        {
            await StopSourceAsync(name).ConfigureAwait(false);
        }

        foreach (var package in _packages.Values)
        {
            await package.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
        _resultsReady.Dispose();
    }

    private ModelPackage Package(string folder)
    {
        lock (_packages)
        {
            if (!_packages.TryGetValue(folder, out var package))
            {
                _packages[folder] = package = ModelPackage.Load(folder, _environment, _batching);
                package.Batcher.BatchCompleted = SignalResults;
            }

            return package;
        }
    }

    private void StartSource(SourceDefinition definition)
    {
        var source = definition.Create(_logs);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop);
        lock (_sources)
        {
            _sources[definition.Name] = new RunningSource(source, cts, source.RunAsync(_writer, cts.Token));
        }
    }

    private async Task StopSourceAsync(string name)
    {
        RunningSource? running;
        lock (_sources)
        {
            if (_sources.Remove(name, out running))
            {
                _stopped.Add(running.Source);
            }
        }

        if (running is null)
        {
            return;
        }

        await running.Cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        running.Cts.Dispose();
        LogSourceStopped(_log, name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {Source} stopped for the configuration reload")]
    private static partial void LogSourceStopped(ILogger logger, string source);

    private sealed record RunningSource(ISampleSource Source, CancellationTokenSource Cts, Task Task);
}
