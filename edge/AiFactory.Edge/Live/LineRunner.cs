using System.Threading.Channels;
using AiFactory.Contracts;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Samples;
using AiFactory.Onnx;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Live;

/// <summary>
/// A running line: every source into one bounded channel, each sample conditioned by its tag and offered to the
/// stations that use it, each station's frames through its model's DynamicBatcher. <see cref="ReloadAsync"/> applies
/// a new configuration restarting only the sources, stations and outputs whose configuration changed; the others
/// keep running (same objects, same counters), so their frames are not lost.
/// </summary>
public sealed partial class LineRunner : IAsyncDisposable
{
    private const int DrainPerTurn = 1024;
    private readonly Channel<TagSample> _channel = Channel.CreateBounded<TagSample>(new BoundedChannelOptions(10_000) { SingleReader = true });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, ModelPackage> _packages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningSource> _sources = new(StringComparer.Ordinal);
    private readonly OnnxEnvironment _environment;
    private readonly DynamicBatcherOptions _batching;
    private readonly LivePrinter _printer;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private EdgeConfig _config;
    private TagTable _tags;
    private LiveStation[] _stations;
    private LineOutputs _outputs;
    private ISampleSource[] _sourceList = [];
    private long _reloads;
    private long _refused;

    /// <summary>Loads the models, opens the outputs and starts the sources of <paramref name="config"/>; verdicts are printed to <paramref name="console"/>.</summary>
    /// <param name="time">The clock tags judge staleness by.</param>
    public static LineRunner Start(EdgeConfig config, OnnxEnvironment environment, TextWriter console, ILoggerFactory logs, TimeProvider time) =>
        new(config, environment, new DynamicBatcherOptions { MaxBatchSize = 32, MaxQueueDelayMicroseconds = 500 }, new LivePrinter(console), logs, time);

    private LineRunner(EdgeConfig config, OnnxEnvironment environment, DynamicBatcherOptions batching, LivePrinter printer, ILoggerFactory logs, TimeProvider time)
    {
        _environment = environment;
        _batching = batching;
        _printer = printer;
        _logs = logs;
        _log = logs.CreateLogger<LineRunner>();
        _time = time;
        _config = config;
        LoadPackages(config);
        _outputs = new LineOutputs(config, printer, logs);
        _tags = new TagTable(config, time);
        _stations = config.Stations.Select(s => CreateStation(s, _tags)).ToArray();
        foreach (var source in config.Sources)
        {
            Start(source);
        }
    }

    public EdgeConfig Config => Volatile.Read(ref _config);

    internal LivePrinter Printer => _printer;

    public IReadOnlyList<LiveStation> Stations => Volatile.Read(ref _stations);

    public IReadOnlyList<ISampleSource> Sources => Volatile.Read(ref _sourceList);

    public IReadOnlyList<BatcherMetrics> Models
    {
        get
        {
            lock (_packages)
            {
                return _packages.Values.Select(p => p.Batcher.Metrics).ToArray();
            }
        }
    }

    internal LineOutputs Outputs => Volatile.Read(ref _outputs);

    /// <summary>Configurations applied while running.</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Edited configurations refused (invalid); the running one stayed.</summary>
    public long ReloadsRefused => Interlocked.Read(ref _refused);

    /// <summary>
    /// The cumulative data-quality counts of each tag of <paramref name="station"/> (the uplink's per-station feed).
    /// It follows reloads: it always reads the station currently configured under that name; empty if there is none.
    /// </summary>
    public Func<IReadOnlyList<DataQualityCounters>> DataQualityOf(string station) => () =>
    {
        foreach (var s in Stations)
        {
            if (s.Definition.Name == station)
            {
                return s.DataQuality();
            }
        }

        return [];
    };

    /// <summary>Reads samples until cancelled: conditions each by its tag and offers it to every station.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await ProcessAvailableAsync(DrainPerTurn).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }

            _printer.Tick();
        }
    }

    /// <summary>Reads and validates <paramref name="file"/> and applies it; an invalid file is logged with its problems and refused.</summary>
    public async Task<bool> ReloadFromFileAsync(string file)
    {
        EdgeConfig next;
        try
        {
            next = EdgeConfigReader.Read(file);
        }
        catch (EdgeConfigException ex)
        {
            Interlocked.Increment(ref _refused);
            LogReloadRefused(_log, file, ex.Problems.Count, string.Join(Environment.NewLine, ex.Problems));
            return false;
        }
        catch (IOException ex)
        {
            Interlocked.Increment(ref _refused);
            LogReloadRefused(_log, file, 1, $"{file}: cannot be read: {ex.Message}");
            return false;
        }

        return await ReloadAsync(next).ConfigureAwait(false);
    }

    /// <summary>Applies <paramref name="next"/>: restarts changed sources, stations and outputs; keeps the rest running.</summary>
    public async Task<bool> ReloadAsync(EdgeConfig next)
    {
        await _reloading.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopping.IsCancellationRequested)
            {
                return false;
            }

            var old = Config;
            try
            {
                LoadPackages(next);
            }
            catch (Exception ex) when (ex is ModelCardException or OnnxRuntimeException or IOException)
            {
                Interlocked.Increment(ref _refused);
                LogReloadRefused(_log, next.File, 1, ex.Message);
                return false;
            }

            var restarted = await SwapStationsAsync(old, next).ConfigureAwait(false);
            var sources = await RestartSourcesAsync(old, next).ConfigureAwait(false);
            Interlocked.Increment(ref _reloads);
            LogReloaded(_log, next.File, restarted.Count == 0 ? "none" : string.Join(", ", restarted), sources.Count == 0 ? "none" : string.Join(", ", sources));
            return true;
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>Stops the sources, takes every sample they already wrote, and scores every frame built. Call after <see cref="RunAsync"/> returned.</summary>
    public async Task StopAsync()
    {
        await _reloading.WaitAsync().ConfigureAwait(false);
        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            foreach (var source in _sources.Values)
            {
                await source.StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _reloading.Release();
        }

        await ProcessAvailableAsync(int.MaxValue).ConfigureAwait(false);
        foreach (var station in Stations)
        {
            await station.FlushAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask ProcessAvailableAsync(int most)
    {
        var reader = _channel.Reader;
        var tags = _tags;
        var stations = _stations;
        for (var n = 0; n < most && reader.TryRead(out var raw); n++)
        {
            if (!tags.TryGetByAddress(raw.Tag, out var conditioner))
            {
                continue;
            }

            var sample = conditioner.Condition(raw);
            foreach (var station in stations)
            {
                if (station.Aligner.TryAdd(sample, out var frame))
                {
                    // Not cancellable: a frame already built is scored even while stopping.
                    await station.AddAsync(frame.Timestamp, frame.Values).ConfigureAwait(false);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _outputs.DisposeAsync().ConfigureAwait(false);
        foreach (var package in _packages.Values)
        {
            await package.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _gate.Dispose();
        _reloading.Dispose();
    }

    private async Task<List<string>> SwapStationsAsync(EdgeConfig old, EdgeConfig next)
    {
        var tags = new TagTable(next, _time, _tags);
        var outputsChanged = Fingerprint(old, "outputs") != Fingerprint(next, "outputs");
        var previousOutputs = _outputs;
        var outputs = outputsChanged ? new LineOutputs(next, _printer, _logs) : previousOutputs;
        var current = _stations.ToDictionary(s => s.Definition.Name, StringComparer.Ordinal);
        var stations = new List<LiveStation>();
        var restarted = new List<string>();
        foreach (var definition in next.Stations)
        {
            if (current.TryGetValue(definition.Name, out var running) && Unchanged(running, definition, old, next, tags))
            {
                stations.Add(running);
                current.Remove(definition.Name);
            }
            else
            {
                stations.Add(CreateStation(definition, tags));
                restarted.Add(definition.Name);
            }
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // What is left in current was removed or replaced: score what it already built, then let it go.
            foreach (var gone in current.Values)
            {
                await gone.FlushAsync().ConfigureAwait(false);
            }

            Volatile.Write(ref _tags, tags);
            Volatile.Write(ref _stations, stations.ToArray());
            Volatile.Write(ref _outputs, outputs);
            Volatile.Write(ref _config, next);
        }
        finally
        {
            _gate.Release();
        }

        if (outputsChanged)
        {
            await previousOutputs.DisposeAsync().ConfigureAwait(false);
            restarted.Add("outputs");
        }

        return restarted;
    }

    private static bool Unchanged(LiveStation running, StationDefinition definition, EdgeConfig old, EdgeConfig next, TagTable tags) =>
        Fingerprint(old, $"station:{definition.Name}") == Fingerprint(next, $"station:{definition.Name}")
        && running.Definition.ModelFolder == definition.ModelFolder
        && running.Tags.All(t => tags.ByName.TryGetValue(t.Spec.Name, out var same) && ReferenceEquals(same, t));

    private async Task<List<string>> RestartSourcesAsync(EdgeConfig old, EdgeConfig next)
    {
        var changed = new List<string>();
        var wanted = next.Sources.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var name in _sources.Keys.ToArray())
        {
            if (!wanted.TryGetValue(name, out var definition) || Fingerprint(old, $"source:{name}") != Fingerprint(next, $"source:{name}"))
            {
                await _sources[name].StopAsync().ConfigureAwait(false);
                _sources.Remove(name);
                changed.Add(name);
                if (definition is not null)
                {
                    Start(definition);
                }
            }
        }

        foreach (var definition in next.Sources.Where(s => !_sources.ContainsKey(s.Name)))
        {
            Start(definition);
            changed.Add(definition.Name);
        }

        Volatile.Write(ref _sourceList, _sources.Values.Select(s => s.Source).ToArray());
        return changed;
    }

    private void Start(SourceDefinition definition)
    {
        _sources[definition.Name] = new RunningSource(definition.Create(_logs), _channel.Writer, _stopping.Token);
        Volatile.Write(ref _sourceList, _sources.Values.Select(s => s.Source).ToArray());
    }

    private LiveStation CreateStation(StationDefinition s, TagTable tags)
    {
        ModelPackage package;
        lock (_packages)
        {
            package = _packages[s.ModelFolder];
        }

        return new LiveStation(s, package, tags.ByName, r => Outputs.OnAnomaly(r), r => Outputs.OnPart(r, s.Card.Output.Classes));
    }

    private void LoadPackages(EdgeConfig config)
    {
        foreach (var folder in config.Stations.Select(s => s.ModelFolder).Distinct())
        {
            lock (_packages)
            {
                if (_packages.ContainsKey(folder))
                {
                    continue;
                }
            }

            var package = ModelPackage.Load(folder, _environment, _batching);
            lock (_packages)
            {
                _packages[folder] = package;
            }
        }
    }

    private static string? Fingerprint(EdgeConfig config, string key) => config.Fingerprints.TryGetValue(key, out var text) ? text : null;

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Configuration {File} reloaded; restarted stations: {Stations}; restarted sources: {Sources}")]
    private static partial void LogReloaded(ILogger logger, string file, string stations, string sources);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Configuration {File} changed but is invalid ({Count} problem(s)); the running configuration stays:\n{Problems}")]
    private static partial void LogReloadRefused(ILogger logger, string file, int count, string problems);
}
