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
/// The running part of a line that a configuration reload may change: sources, tag definitions and stations.
/// Every source writes into one channel; one routing thread takes the samples out in rounds, each under the line's
/// gate: a sample takes that one way. A reload takes the gate between two rounds, stops and starts only the sources
/// and stations whose configuration changed, and lets routing go on, so unchanged stations keep their calibration,
/// windows and frames in flight.
/// </summary>
internal sealed partial class LineRuntime : IAsyncDisposable
{
    private readonly OnnxEnvironment _environment;
    private readonly DynamicBatcherOptions _batching;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly Func<StationDefinition, ModelPackage, ModelPackage?, LiveStation> _createStation;
    private readonly ChannelReader<TagSample> _reader;
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
        Func<StationDefinition, ModelPackage, ModelPackage?, LiveStation> createStation, Channel<TagSample> channel, CancellationToken stop)
    {
        Config = config;
        _environment = environment;
        _batching = batching;
        Hold = batching.CallerRuns ? TimeSpan.FromMicroseconds(batching.MaxHoldMicroseconds) : TimeSpan.Zero;
        _logs = logs;
        _log = logs.CreateLogger<LineRuntime>();
        _createStation = createStation;
        _reader = channel.Reader;
        _writer = new RouterWake.SignallingWriter(channel.Writer, _wake);
        _stop = stop;
        Tags = new TagTable(config.Tags);
    }

    public EdgeConfig Config { get; private set; }

    public TagTable Tags { get; }

    /// <summary>Where samples enter the line (what every source writes to): it wakes the routing thread.</summary>
    public ChannelWriter<TagSample> Writer => _writer;

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
        SetStations(Config.Stations.Select(d => _createStation(d, Package(d.ModelFolder), Shadow(d))).ToArray());
        foreach (var d in Config.Sources)
        {
            StartSource(d);
        }
    }

    /// <summary>Called under the line's gate with every frame a station builds, before it is scored (raw upload).</summary>
    public Action<string, AlignedFrame>? FrameBuilt { get; set; }

    /// <summary>
    /// Routes samples to the stations until the channel completes or the agent stops (then the task is cancelled),
    /// on a dedicated thread: the routing loop is the agent's hot path, and thread-pool hops cost a wake-up each.
    /// </summary>
    public Task RouteAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Route();
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

    private void Route()
    {
        // Results are delivered here, on the routing thread, as soon as they are there: after every round, and,
        // while no sample comes, when a batcher signals that a batch has run. The steps below rarely wait (a full
        // batcher queue, a reload holding the gate); when one does, this thread blocks until it is done.
        // With CallerRuns (no queue delay) a round routes the samples that are there (up to RoundSamples), runs
        // the frames they made on this thread, batched per model, and delivers the results: a batch is what arrived
        // together, and a frame costs no hand-over to another thread. Before a round, while samples keep coming, a
        // few are held for up to Hold until a batch's worth waits, so that they are scored, and their verdicts sent,
        // together. Otherwise each model's runner thread runs the batches (waiting up to the queue delay for them to
        // fill) and signals when one has run.
        using var stopping = _stop.Register(_wake.Signal);
        bool HasWork() => _reader.TryPeek(out _) || Volatile.Read(ref _resultsSignalled) != 0
            || _stop.IsCancellationRequested || _reader.Completion.IsCompleted;
        bool HasBatch() => _reader.Count >= HoldSamples || _stop.IsCancellationRequested || _reader.Completion.IsCompleted;
        Func<bool> hasWork = HasWork;
        Func<bool> hasBatch = HasBatch;
        while (true)
        {
            // Checked every round, so a stop is seen under a steady stream too; DrainAsync then routes what is left.
            _stop.ThrowIfCancellationRequested();
            if (HoldFor() is { } hold)
            {
                _wake.Sleep(hasBatch, TimeSpan.Zero, hasBatch, hold);
            }

            _gate.Wait(CancellationToken.None);
            bool worked;
            try
            {
                var (routed, delivered) = RouteRound();
                worked = routed > 0 || delivered;
            }
            finally
            {
                _gate.Release();
            }

            if (worked)
            {
                continue;
            }

            if (_reader.Completion.IsCompleted)
            {
                return;
            }

            _wake.Sleep(hasWork, IdleSpin);
        }
    }

    /// <summary>
    /// How long to hold the samples that wait before routing them (null: route now): only with a hold, while fewer
    /// than a batch's worth wait, and while samples come fast enough that others are likely to join them (at least
    /// two frames' worth per hold time over the last ~100 ms). A slow line is never held.
    /// </summary>
    private TimeSpan? HoldFor()
    {
        if (Hold <= TimeSpan.Zero)
        {
            return null;
        }

        var waiting = _reader.Count;
        return waiting > 0 && waiting < HoldSamples && _samplesPerSecond * Hold.TotalSeconds >= 2.0 * _widestStation ? Hold : null;
    }

    /// <summary>How long a round may wait for a batch's worth of samples (<see cref="DynamicBatcherOptions.MaxHoldMicroseconds"/>; zero without CallerRuns).</summary>
    public TimeSpan Hold { get; }

    /// <summary>
    /// Held until a batch's worth of samples waits for the widest station (tag values: a frame takes one of each of
    /// its tags): more would not make a bigger batch.
    /// </summary>
    private int HoldSamples => Math.Max(1, _batching.MaxBatchSize * _widestStation);

    private volatile int _widestStation = 1;

    private void SetStations(LiveStation[] stations)
    {
        _stations = stations;
        _widestStation = stations.Length == 0 ? 1 : stations.Max(s => s.Definition.OrderedTags.Count);
    }

    // Samples routed in the current ~100 ms, and the rate of the last such window (for the hold).
    private long _rateSince;
    private int _routedSince;
    private double _samplesPerSecond;

    /// <summary>Counts a round's samples into the arrival rate (on the routing thread).</summary>
    private void CountRate(int routed)
    {
        _routedSince += routed;
        var now = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(_rateSince, now);
        if (elapsed >= RateWindow)
        {
            _samplesPerSecond = _rateSince == 0 ? 0 : _routedSince / elapsed.TotalSeconds;
            _rateSince = now;
            _routedSince = 0;
        }
    }

    private static readonly TimeSpan RateWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// One round, under the gate: routes the samples that are there (up to <see cref="RoundSamples"/>), runs the
    /// frames they made (CallerRuns) and delivers what is ready. Answers how many samples it routed and whether it
    /// delivered results.
    /// </summary>
    private (int Routed, bool Delivered) RouteRound()
    {
        var routed = 0;
        while (routed < RoundSamples && _reader.TryRead(out var read))
        {
            Wait(RouteOneAsync(read));
            routed++;
            if (!_batching.CallerRuns)
            {
                Wait(DeliverCompletedAsync());
                RoundEnded?.Invoke();
            }
        }

        if (_batching.CallerRuns)
        {
            RunQueued();
        }

        CountRate(routed);

        var delivered = Wait(DeliverCompletedAsync());
        // After every step that may have delivered verdicts (a station at its in-flight limit delivers while adding).
        RoundEnded?.Invoke();
        return (routed, delivered);
    }

    /// <summary>How long the idle routing loop looks for the next sample before it sleeps.</summary>
    private static readonly TimeSpan IdleSpin = TimeSpan.FromMicroseconds(30);

    /// <summary>Samples routed before the frames they made are run and their verdicts delivered (CallerRuns).</summary>
    private const int RoundSamples = 256;

    /// <summary>Runs every model's queued frames on the thread routing the round (CallerRuns).</summary>
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

    /// <summary>Under the gate: delivers every station's results that are already there; answers whether any was.</summary>
    private async ValueTask<bool> DeliverCompletedAsync()
    {
        var any = false;
        Interlocked.Exchange(ref _resultsSignalled, 0);
        foreach (var station in _stations)
        {
            if (station.InFlight > 0)
            {
                any |= await station.DeliverCompletedAsync().ConfigureAwait(false) > 0;
            }
        }

        return any;
    }

    /// <summary>Under the gate: hands one sample to the stations its tag feeds.</summary>
    private async Task RouteOneAsync(TagSample read)
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

        Routed?.Invoke();
    }

    /// <summary>Called after each routed sample (the printer's tick).</summary>
    public Action? Routed { get; init; }

    /// <summary>
    /// Called under the line's gate after every step that may have delivered verdicts (a routing round, a reload
    /// flushing stations, the drain at stop): packed verdict messages leave then.
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
                    await StopSourceAsync(name, forReload: true).ConfigureAwait(false);
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
                    var replacement = _createStation(d, Package(d.ModelFolder), Shadow(d));
                    replacement.ContinueFrom(running);
                    kept.Add(replacement);
                    continue;
                }

                outcome.StationsAdded.Add(d.Name);
                if (onNewStation is not null)
                {
                    await onNewStation(d).ConfigureAwait(false);
                }

                kept.Add(_createStation(d, Package(d.ModelFolder), Shadow(d)));
            }

            foreach (var gone in current.Values)
            {
                await gone.FlushAsync().ConfigureAwait(false);
                outcome.StationsRemoved.Add(gone.Definition.Name);
            }

            SetStations(kept.ToArray());
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
    public async Task DrainAsync()
    {
        List<Task> running;
        lock (_sources)
        {
            running = _sources.Values.Select(s => s.Task).ToList();
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            while (_reader.TryRead(out var sample))
            {
                await RouteOneAsync(sample).ConfigureAwait(false);
            }

            foreach (var station in _stations)
            {
                await station.FlushAsync().ConfigureAwait(false);
            }

            RoundEnded?.Invoke();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _sources.Keys.ToList())
        {
            await StopSourceAsync(name, forReload: false).ConfigureAwait(false);
        }

        foreach (var package in _packages.Values)
        {
            await package.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
        _wake.Dispose();
    }

    private ModelPackage? Shadow(StationDefinition d) => d.ShadowFolder is { } folder ? Package(folder) : null;

    private ModelPackage Package(string folder)
    {
        lock (_packages)
        {
            if (!_packages.TryGetValue(folder, out var package))
            {
                _packages[folder] = package = ModelPackage.Load(folder, _environment, _batching);
                // With CallerRuns a batch runs inside a routing round, which delivers its results itself.
                package.Batcher.BatchCompleted = _batching.CallerRuns ? null : SignalResults;
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

    private async Task StopSourceAsync(string name, bool forReload)
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
        if (forReload)
        {
            LogSourceStopped(_log, name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {Source} stopped for the configuration reload")]
    private static partial void LogSourceStopped(ILogger logger, string source);

    private sealed record RunningSource(ISampleSource Source, CancellationTokenSource Cts, Task Task);
}
