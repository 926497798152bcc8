using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>
/// One edge agent under drill: `aifactory-edge run` with a simulated pump station (named like the edge), uploading
/// through its own <see cref="FaultProxy"/> and <see cref="RecordingTap"/> (which records every record sent, by
/// sequence) to the hub; restartable on the same outbox.
/// </summary>
internal sealed class DrillEdge : IAsyncDisposable
{
    private readonly string _config;
    private readonly string _key;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private int _earlierRunsNotStored;

    private DrillEdge(string id, string key, string config, string outbox, RecordingTap tap, FaultProxy proxy, IReadOnlyDictionary<string, string> environment)
    {
        Id = id;
        _key = key;
        _config = config;
        Outbox = outbox;
        Tap = tap;
        Proxy = proxy;
        _environment = environment;
    }

    public string Id { get; }

    public string Outbox { get; }

    public RecordingTap Tap { get; }

    public FaultProxy Proxy { get; }

    public EdgeProcess? Process { get; private set; }

    /// <summary>Windows the agent logged it could not store in the outbox, over all its runs so far.</summary>
    public int WindowsNotStored => _earlierRunsNotStored + Count(Process?.Output);

    /// <summary>How often the agent was started (1 + its restarts and drain runs).</summary>
    public int Starts { get; private set; }

    /// <param name="outboxDir">Where the outbox file lives (a small file system of its own for the full-disk scenario).</param>
    public static async Task<DrillEdge> CreateAsync(DrillHub hub, string id, string dir, string outboxDir, IReadOnlyDictionary<string, string> environment)
    {
        var key = await hub.AddEdgeAsync(id);
        var tap = await RecordingTap.StartAsync();
        tap.Hub = hub.Address;
        var proxy = FaultProxy.Start(tap.Url);
        var outbox = Path.Combine(outboxDir, $"{id}.outbox.db");
        var config = Path.Combine(dir, $"{id}.yaml");
        await File.WriteAllTextAsync(config, $$"""
            edge: {id: {{id}}, company: acme, plant: plant-1}
            uplink:
              hub: {{proxy.Url}}
              api_key: ${AIFACTORY_E2E_KEY}
              window_s: 1
              batch_records: 20
              backoff_cap_s: 1
              timeout_s: 3
              outbox: {path: {{outbox}}}
            sources:
              - {name: pump-sim, type: simulator, kind: pump, station: {{id}}, speed: 100}
            stations:
              - name: {{id}}
                line: {{id}}
                model: {{RepoPaths.Model("pump-vibration-flow")}}
                tags: {Accelerometer1RMS: {{id}}/Accelerometer1RMS, Accelerometer2RMS: {{id}}/Accelerometer2RMS, Volume Flow RateRMS: {{id}}/Volume Flow RateRMS}
            """);
        return new DrillEdge(id, key, config, outbox, tap, proxy, environment);
    }

    /// <summary>Starts the agent (again, on the same outbox) for <paramref name="seconds"/>.</summary>
    public void Start(double seconds)
    {
        _earlierRunsNotStored += Count(Process?.Output);
        Process = EdgeProcess.Start(_config, seconds, _key, _environment);
        Starts++;
    }

    private static int Count(string? output) => output is null ? 0 : output.Split(Scenarios.AppendFailed).Length - 1;

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        await Proxy.DisposeAsync();
        await Tap.DisposeAsync();
    }
}
