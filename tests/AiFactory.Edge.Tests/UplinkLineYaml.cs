using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>Pieces of the line configurations that the uplink tests write: the edge and uplink sections, and the simulated pump station.</summary>
internal static class UplinkLineYaml
{
    /// <summary>The simulated pump source (at 400× speed) as one <c>sources:</c> item.</summary>
    public const string PumpSource = "  - {name: pump-sim, type: simulator, kind: pump, station: pump-1, speed: 400}";

    /// <summary><c>edge:</c> and <c>uplink:</c> to <paramref name="hub"/>, the key from <c>${<paramref name="keyVariable"/>}</c>, 1-s windows, outbox.db beside the file.</summary>
    public static string EdgeAndUplink(string edgeId, Uri hub, string keyVariable) => $$"""
        edge: {id: {{edgeId}}, company: acme, plant: plant-1}
        uplink:
          hub: {{hub}}
          api_key: ${{{keyVariable}}}
          window_s: 1
          outbox: {path: outbox.db}
        """;

    /// <summary>A whole configuration: the simulated pump line with an uplink (<see cref="EdgeAndUplink"/>).</summary>
    public static string PumpLine(string edgeId, Uri hub, string keyVariable) => $$"""
        {{EdgeAndUplink(edgeId, hub, keyVariable)}}
        sources:
        {{PumpSource}}
        stations:
        {{PumpStation()}}
        """;

    /// <summary>The pump-1 station on line-1 as one <c>stations:</c> item.</summary>
    public static string PumpStation() => $$"""
          - name: pump-1
            line: line-1
            model: {{RepoPaths.Model("pump-vibration-flow")}}
            tags: {Accelerometer1RMS: pump-1/Accelerometer1RMS, Accelerometer2RMS: pump-1/Accelerometer2RMS, Volume Flow RateRMS: pump-1/Volume Flow RateRMS}
        """;
}
