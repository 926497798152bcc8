using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Batching;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Core.Stations;
using AiFactory.Edge.Uplink.Models;
using AiFactory.Onnx;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Live;

/// <summary>
/// The edge's side of deployments. It long-polls the hub for its desired state (and asks again at once after a lost
/// connection), downloads each package into the <see cref="PackageCache"/> (hash and signature verified), warms it up
/// (ONNX Runtime loads it and it reproduces its reference outputs), and only then applies it through
/// <see cref="LineRuntime.ApplyAsync"/>, which swaps a station's model between two routing rounds: the old model's
/// frames in flight are delivered, every later frame goes to the new one, none is dropped or scored twice. A package
/// that fails any step, or fails to score at run time, is refused here, the station keeps (or returns to) its last good
/// model, and the failure goes to the hub in the next model report. The last applied state is kept beside the cache,
/// so an agent that starts while the hub is unreachable runs the last good versions.
/// </summary>
internal sealed partial class ModelDeployer : IAsyncDisposable
{
    /// <summary>A deployed production model that failed this many frames, more than it scored, is rolled back here.</summary>
    public const int RunFailuresBeforeRollback = 20;

    /// <summary>After a failed poll the next waits 2 s, doubling per failure up to a minute (a hub without deployments answers 404).</summary>
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReconnectCap = TimeSpan.FromMinutes(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly UplinkDefinition _uplink;
    private readonly ModelHubClient _client;
    private readonly PackageCache _cache;
    private readonly string _statePath;
    private readonly OnnxEnvironment _environment;
    private readonly ILogger _log;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, StationDefinition> _configured = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StationModelTracker> _trackers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DriftTracker> _drift = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ModelFailure>> _failures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _applying = new(1, 1);
    private DeployerState _state;
    private LineRuntime? _line;
    private Task _polling = Task.CompletedTask;
    private Task _reporting = Task.CompletedTask;

    // The applied state could not be written (a full disk: the cache shares the outbox's): written again each poll.
    private volatile bool _saveOwed;

    // Reports go only to a hub that answered a desired-state poll: an older hub would refuse each one.
    private volatile bool _hubDeploys;

    public ModelDeployer(UplinkDefinition uplink, EdgeConfig config, OnnxEnvironment environment, ILogger log)
    {
        _uplink = uplink;
        _environment = environment;
        _log = log;
        var root = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(uplink.Outbox.Path))!, "models");
        _cache = new PackageCache(root, uplink.TrustedKeys);
        _statePath = Path.Combine(_cache.Root, "state.json");
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        _client = new ModelHubClient(_http, uplink.Hub, uplink.ApiKey, uplink.Edge.EdgeId, uplink.Edge.Company);
        _state = Load(_statePath);
        foreach (var s in config.Stations)
        {
            _configured[s.Name] = s;
        }
    }

    /// <summary>Frames the swap took to apply, for the status and the tests: the desired state's etag last applied.</summary>
    public string? AppliedEtag => _state.Etag;

    /// <summary>
    /// The configuration with each station's last good packages in place of its configured model (those still on disk and
    /// not refused): what the agent starts with, hub or no hub, and what a reloaded file is overlaid with.
    /// </summary>
    public EdgeConfig Overlay(EdgeConfig config)
    {
        foreach (var s in config.Stations)
        {
            _configured[s.Name] = s;
        }

        return config with { Stations = [.. config.Stations.Select(s => _state.Stations.TryGetValue(s.Name, out var applied) ? Apply(s, applied) ?? s : s)] };
    }

    /// <summary>Starts polling and reporting for a running line.</summary>
    public void Start(LineRuntime line)
    {
        _line = line;
        _polling = Task.Run(PollAsync);
        _reporting = Task.Run(ReportLoopAsync);
    }

    /// <summary>Called when a station (re)starts: a new tracker for its models, the same drift tracker as before.</summary>
    public StationModelTracker Track(StationDefinition s)
    {
        var line = _uplink.Stations.TryGetValue(s.Name, out var place) ? place.Line : string.Empty;
        if (!_drift.TryGetValue(s.Name, out var drift))
        {
            _drift[s.Name] = drift = new DriftTracker(s.Card.Input.Features, s.Card.Calibration?.Samples ?? 400);
        }

        var shadowCard = s.ShadowFolder is { } f ? ModelCardReader.Read(f) : null;
        var tracker = new StationModelTracker(
            line, s.Name, s.Card.Name, new ModelRunCounter(s.PackageId, s.Card.Version), shadowCard is null ? null : new ModelRunCounter(s.ShadowPackageId, shadowCard.Version), drift);
        lock (_trackers)
        {
            _trackers[s.Name] = tracker;
        }

        return tracker;
    }

    /// <summary>True when the classifier's class counts as a defect at the station (any class but its pass classes).</summary>
    public bool IsDefect(string station, string className) =>
        _uplink.Stations.TryGetValue(station, out var place) && !place.PassClasses.Contains(className);

    public void OnFrame(string station, double[] values)
    {
        StationModelTracker? tracker;
        lock (_trackers)
        {
            _trackers.TryGetValue(station, out tracker);
        }

        tracker?.Frame(values);
    }

    /// <summary>Asks the hub for the desired state once and applies it (the poll loop does this; tests call it to step).</summary>
    public async Task<bool> SyncOnceAsync(TimeSpan wait, CancellationToken ct)
    {
        var desired = await _client.DesiredAsync(_state.Etag, wait, ct).ConfigureAwait(false);
        _hubDeploys = true;
        if (desired.Etag == _state.Etag)
        {
            return false;
        }

        await ApplyAsync(desired, ct).ConfigureAwait(false);
        return true;
    }

    public EdgeModelReport Report()
    {
        lock (_trackers)
        {
            return new EdgeModelReport(_uplink.Edge.EdgeId, _state.Etag ?? string.Empty, [.. _trackers.Values.OrderBy(t => t.Station, StringComparer.Ordinal).Select(t => t.Report(FailuresOf(t.Station)))]);
        }
    }

    /// <summary>
    /// Stops polling and reporting (before the line drains, so that no swap meets a line that is stopping). Never throws:
    /// neither loop ends but by this stop, and the agent's stop must stay clean.
    /// </summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_polling, _reporting).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogLoopFailed(_log, "stop", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _http.Dispose();
        _stop.Dispose();
        _applying.Dispose();
    }

    private async Task PollAsync()
    {
        var wait = TimeSpan.FromSeconds(20);
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_saveOwed)
                {
                    Save();
                }

                await SyncOnceAsync(wait, _stop.Token).ConfigureAwait(false);
                failures = 0;
                continue;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or HttpIOException)
            {
                LogPollFailed(_log, ex.Message);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Nothing may end this loop but the stop (a package that cannot be cached on a full disk included):
                // a dead loop would leave the edge deaf to deployments until a restart, and fault the agent's stop.
                LogLoopFailed(_log, "poll", ex);
            }

            try
            {
                var delay = Reconnect * Math.Pow(2, Math.Min(failures++, 5));
                await Task.Delay(delay < ReconnectCap ? delay : ReconnectCap, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReportLoopAsync()
    {
        using var timer = new PeriodicTimer(_uplink.Window);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                await RollBackFailingAsync(_stop.Token).ConfigureAwait(false);
                await SendReportAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                LogLoopFailed(_log, "report", ex);
            }
        }
    }

    private async Task SendReportAsync(CancellationToken ct)
    {
        if (!_hubDeploys)
        {
            return;
        }

        try
        {
            await _client.ReportAsync(Report(), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogReportFailed(_log, ex.Message);
        }
    }

    /// <summary>A deployed production model failing most frames is refused here and the station returns to its last good model.</summary>
    private async Task RollBackFailingAsync(CancellationToken ct)
    {
        List<StationModelTracker> failing;
        lock (_trackers)
        {
            failing = [.. _trackers.Values.Where(t => t.ProductionPackage is not null && t.ProductionHealth() is var (errors, frames) && errors >= RunFailuresBeforeRollback && errors > frames)];
        }

        foreach (var t in failing)
        {
            var (errors, frames) = t.ProductionHealth();
            Refuse(t.Station, t.ProductionPackage!, "run", $"model '{t.Model}' failed {errors} frames and scored {frames} at station '{t.Station}'; rolled back on the edge");
        }

        if (failing.Count > 0 && _state.Desired is { } desired)
        {
            await ApplyAsync(desired, ct).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(DesiredState desired, CancellationToken ct)
    {
        await _applying.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var line = _line ?? throw new InvalidOperationException("the deployer applies desired states only to a running line");
            var applied = new Dictionary<string, AppliedStation>(StringComparer.Ordinal);
            foreach (var (name, configured) in _configured)
            {
                var lineId = _uplink.Stations.TryGetValue(name, out var place) ? place.Line : null;
                var a = desired.Stations.FirstOrDefault(a => a.LineId == lineId && a.StationId == name && a.ModelName == configured.Card.Name);
                var last = _state.Stations.GetValueOrDefault(name);
                var production = await PrepareAsync(name, configured, a?.Production, last?.Production, ct).ConfigureAwait(false);
                var shadow = await PrepareAsync(name, configured, a?.Shadow, null, ct).ConfigureAwait(false);
                if (production is not null || shadow is not null)
                {
                    applied[name] = new AppliedStation(production, shadow);
                }
            }

            var next = line.Config with { Stations = [.. line.Config.Stations.Select(s => applied.TryGetValue(s.Name, out var a) ? Apply(_configured[s.Name], a) ?? _configured[s.Name] : _configured[s.Name])] };
            ReloadOutcome outcome;
            try
            {
                outcome = await line.ApplyAsync(next).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ModelCardException or OnnxRuntimeException or IOException or ArgumentException)
            {
                foreach (var (station, a) in applied)
                {
                    foreach (var id in new[] { a.Production, a.Shadow }.OfType<string>().Where(id => _state.Stations.GetValueOrDefault(station)?.Production != id))
                    {
                        Refuse(station, id, "load", ex.Message);
                    }
                }

                return;
            }

            _state = new DeployerState(desired.Etag, desired, applied);
            Save();
            LogApplied(_log, desired.Etag, outcome.ToString());
            _cache.Prune(applied.Values.SelectMany(a => new[] { a.Production, a.Shadow }).OfType<string>().ToHashSet(StringComparer.Ordinal));
        }
        finally
        {
            _applying.Release();
        }

        await SendReportAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The package id the station should run in this role: the wanted one once downloaded, verified and warmed up; if it
    /// fails, <paramref name="fallback"/> (the last good). Null: the configured model (production) or none (shadow).
    /// </summary>
    private async Task<string?> PrepareAsync(string station, StationDefinition configured, ModelPackageRef? wanted, string? fallback, CancellationToken ct)
    {
        if (wanted is null)
        {
            return null;
        }

        if (_refused.Contains(wanted.PackageId))
        {
            return fallback is { } f && !_refused.Contains(f) && _cache.Find(f) is not null ? f : null;
        }

        try
        {
            var folder = await _cache.EnsureAsync(wanted, (file, c) => _client.FileAsync(wanted.PackageId, file, c), ct).ConfigureAwait(false);
            await WarmUpAsync(configured, folder, ct).ConfigureAwait(false);
            return wanted.PackageId;
        }
        catch (PackageRejectedException ex)
        {
            // A bad download is tried again at the next poll; a package that does not load or warm up stays refused.
            if (ex.Stage is not ("download" or "verify"))
            {
                _refused.Add(wanted.PackageId);
            }

            Record(station, new ModelFailure(wanted.PackageId, ex.Stage, ex.Message, DateTimeOffset.UtcNow));
            LogRefused(_log, station, wanted.PackageId, ex.Stage, ex.Message);
            return fallback is { } f && !_refused.Contains(f) && _cache.Find(f) is not null ? f : null;
        }
    }

    /// <summary>Loads the package as the line would and scores its reference inputs: a model that cannot do that never meets a frame.</summary>
    private async Task WarmUpAsync(StationDefinition configured, string folder, CancellationToken ct)
    {
        ModelPackage package;
        try
        {
            var card = ModelCardReader.Read(folder);
            if (card.Name != configured.Card.Name || card.Task != configured.Card.Task || card.Input.Features.Any(f => !configured.FeatureTags.ContainsKey(f)))
            {
                throw new PackageRejectedException("load",
                    $"model '{card.Name}' {card.Version} ({card.Task}, features {string.Join(", ", card.Input.Features)}) does not fit station '{configured.Name}', configured for '{configured.Card.Name}' ({configured.Card.Task}, features {string.Join(", ", configured.FeatureTags.Keys)})");
            }

            package = ModelPackage.Load(folder, _environment, new DynamicBatcherOptions { MaxBatchSize = 8, MaxQueueDelayMicroseconds = 0 });
        }
        catch (Exception ex) when (ex is ModelCardException or OnnxRuntimeException)
        {
            throw new PackageRejectedException("load", ex.Message);
        }

        await using (package.ConfigureAwait(false))
        {
            var problems = await ReferenceCheck.RunAsync(package, await File.ReadAllBytesAsync(Path.Combine(folder, "reference.json"), ct).ConfigureAwait(false), "reference.json", ct).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                throw new PackageRejectedException("warm-up", string.Join("; ", problems));
            }
        }
    }

    /// <summary>The configured station with the applied packages in place; null when a package folder is gone.</summary>
    private StationDefinition? Apply(StationDefinition configured, AppliedStation applied)
    {
        var production = applied.Production is { } p ? _cache.Find(p) : null;
        var shadow = applied.Shadow is { } sh ? _cache.Find(sh) : null;
        if ((applied.Production is not null && production is null) || (applied.Shadow is not null && shadow is null))
        {
            return null;
        }

        var card = production is null ? configured.Card : ModelCardReader.Read(production);
        return configured with
        {
            ModelFolder = production ?? configured.ModelFolder,
            Card = card,
            PackageId = applied.Production,
            ShadowFolder = shadow,
            ShadowPackageId = applied.Shadow,
            Fingerprint = $"{configured.Fingerprint}\npackage {applied.Production}\nshadow {applied.Shadow}",
        };
    }

    private void Refuse(string station, string packageId, string stage, string reason)
    {
        _refused.Add(packageId);
        Record(station, new ModelFailure(packageId, stage, reason, DateTimeOffset.UtcNow));
        LogRefused(_log, station, packageId, stage, reason);
    }

    private void Record(string station, ModelFailure failure)
    {
        lock (_failures)
        {
            if (!_failures.TryGetValue(station, out var list))
            {
                _failures[station] = list = [];
            }

            list.Insert(0, failure);
            if (list.Count > 10)
            {
                list.RemoveAt(list.Count - 1);
            }
        }
    }

    private List<ModelFailure> FailuresOf(string station)
    {
        lock (_failures)
        {
            return _failures.TryGetValue(station, out var list) ? [.. list] : [];
        }
    }

    /// <summary>Writes the applied state; when the disk refuses (full), logs it and owes the write to the next poll.</summary>
    private void Save()
    {
        var temp = _statePath + ".tmp";
        try
        {
            File.WriteAllText(temp, JsonSerializer.Serialize(_state, Json));
            File.Move(temp, _statePath, overwrite: true);
            _saveOwed = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_saveOwed)
            {
                LogSaveFailed(_log, _state.Etag ?? string.Empty, _statePath, ex.Message);
            }

            _saveOwed = true;
        }
    }

    private static DeployerState Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<DeployerState>(File.ReadAllText(path), Json) ?? DeployerState.Empty : DeployerState.Empty;
        }
        catch (JsonException)
        {
            // A state file cut short by a power cut: start from the configured models and ask the hub again.
            return DeployerState.Empty;
        }
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "Desired state {Etag} applied: {Outcome}")]
    private static partial void LogApplied(ILogger logger, string etag, string outcome);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Station {Station}: package {Package} refused at {Stage}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string station, string package, string stage, string reason);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Asking the hub for the desired state failed (asking again shortly): {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "Sending the model report failed (the next window sends it again): {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Warning, Message = "Desired state {Etag} applied, but its record {Path} could not be written (is the disk full?): {Reason}; written again at each poll, and until then a restart starts with the models last written")]
    private static partial void LogSaveFailed(ILogger logger, string etag, string path, string reason);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Error, Message = "Deployments: the {Loop} step failed; the loop goes on")]
    private static partial void LogLoopFailed(ILogger logger, string loop, Exception exception);
}
