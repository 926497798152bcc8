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
    private readonly RouterWake _wake = new();
    private int _resultsSignalled;
    private readonly Dictionary<string, ModelPackage> _packages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningSource> _sources = new(StringComparer.Ordinal);
    private readonly List<ISampleSource> _stopped = [];
    private readonly List<AlignedFrame> _frames = new(2);
    private volatile LiveStation[] _stations = [];
    private volatile DynamicBatcher[] _batchers = [];

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
        _writer = new RouterWake.SignallingWriter(writer, _wake);
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

    /// <summary>
    /// Routes samples to the stations until the channel completes or the agent stops (then the task is cancelled),
    /// on a dedicated thread: the routing loop is the agent's hot path, and thread-pool hops cost a wake-up each.
    /// </summary>
    public Task RouteAsync(ChannelReader<TagSample> reader)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Route(reader);
                done.SetResult();
            }
            catch (OperationCanceledException ex)
            {
                done.SetCanceled(ex.CancellationToken);
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "line router",
        };
        thread.Start();
        return done.Task;
    }

    private void Route(ChannelReader<TagSample> reader)
    {
        // Results are delivered here, on the routing thread, as soon as they are there: after every sample, and,
        // while no sample comes, when a batcher signals that a batch has run. The steps below rarely wait (a full
        // batcher queue, a reload holding the gate); when one does, this thread blocks until it is done.
        // With CallerRuns (no queue delay) a round routes the samples that are there (up to RoundSamples), runs
        // the frames they made on this thread, batched per model, and delivers the results: a batch is what arrived
        // together, and a sample costs no hand-over to another thread. Otherwise each model's runner thread runs
        // the batches (waiting up to the queue delay for them to fill) and signals when one has run.
        using var stopping = _stop.Register(_wake.Signal);
        bool HasWork() => reader.TryPeek(out _) || Volatile.Read(ref _resultsSignalled) != 0 || _stop.IsCancellationRequested || reader.Completion.IsCompleted;
        Func<bool> hasWork = HasWork;
        while (true)
        {
            // Checked every round, so a stop is seen under a steady stream too; DrainAsync then routes what is left.
            _stop.ThrowIfCancellationRequested();
            var routed = 0;
            while (routed < RoundSamples && reader.TryRead(out var read))
            {
                Wait(RouteOneAsync(read));
                routed++;
                if (!_batching.CallerRuns)
                {
                    Wait(DeliverCompletedAsync());
                }
            }

            if (_batching.CallerRuns)
            {
                RunQueued();
            }

            if (Wait(DeliverCompletedAsync()) || routed > 0)
            {
                continue;
            }

            if (reader.Completion.IsCompleted)
            {
                return;
            }

            _wake.Sleep(hasWork, IdleSpin);
        }
    }

    /// <summary>How long the idle routing loop looks for the next sample before it sleeps.</summary>
    private static readonly TimeSpan IdleSpin = TimeSpan.FromMicroseconds(30);

    /// <summary>Samples routed before the frames they made are run and their verdicts delivered (CallerRuns).</summary>
    private const int RoundSamples = 256;

    /// <summary>Runs every model's queued frames on the routing thread (CallerRuns).</summary>
    private void RunQueued()
    {
        foreach (var batcher in _batchers)
        {
            batcher.RunQueued();
        }
    }

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    private static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    /// <summary>A batcher has run a batch (on its runner thread): wakes the routing loop if it sleeps.</summary>
    private void SignalResults()
    {
        Volatile.Write(ref _resultsSignalled, 1);
        _wake.Signal();
    }

    /// <summary>Delivers every station's results that are already there; answers whether any was.</summary>
    private async ValueTask<bool> DeliverCompletedAsync()
    {
        var any = false;
        Interlocked.Exchange(ref _resultsSignalled, 0);
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
            RoundEnded?.Invoke();
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
            // A station whose frames in flight were at their limit delivered some while adding.
            RoundEnded?.Invoke();
            _gate.Release();
        }

        Routed?.Invoke();
    }

    /// <summary>Called after each routed sample (the printer's tick).</summary>
    public Action? Routed { get; init; }

    /// <summary>
    /// Called on the routing thread, under the line's gate, after every step that may have delivered verdicts
    /// (routing a sample, delivering completed batches, a reload flushing stations, the drain at stop): packed verdict
    /// messages leave then.
    /// </summary>
    public Action? RoundEnded { get; init; }

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
            RoundEnded?.Invoke();
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> while no sample is routed and no verdict is delivered (e.g. swapping outputs).</summary>
    public async Task RunExclusiveAsync(Func<Task> work)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            RoundEnded?.Invoke();
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

        RoundEnded?.Invoke();
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
        _wake.Dispose();
    }

    private ModelPackage Package(string folder)
    {
        lock (_packages)
        {
            if (!_packages.TryGetValue(folder, out var package))
            {
                _packages[folder] = package = ModelPackage.Load(folder, _environment, _batching);
                package.Batcher.BatchCompleted = SignalResults;
                _batchers = [.. _packages.Values.Select(p => p.Batcher)];
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
