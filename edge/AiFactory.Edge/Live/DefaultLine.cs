using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Models;
using AiFactory.Edge.Sources.Simulation;

namespace AiFactory.Edge.Live;

/// <summary>The embedded default line (no configuration file): a simulated pump station and a plate-inspection station.</summary>
public static class DefaultLine
{
    public static EdgeConfig Build(string modelsFolder, int seed, double speed)
    {
        var pumpCard = ModelCardReader.Read(Path.Combine(modelsFolder, "pump-anomaly"));
        var plateCard = ModelCardReader.Read(Path.Combine(modelsFolder, "steel-defects"));
        SourceDefinition[] sources =
        [
            new("pump-sim", "simulator", PumpSimulator.Features.Select(f => $"pump-1/{f}").ToArray(), _ => new PumpSimulator("pump-1", seed, speed)),
            new("plate-sim", "simulator", PlateSimulator.Features.Select(f => $"plate-1/{f}").ToArray(), _ => new PlateSimulator("plate-1", seed + 1, speed)),
        ];
        StationDefinition[] stations =
        [
            new("pump-1", pumpCard.Folder, pumpCard, pumpCard.Input.Features.ToDictionary(f => f, f => $"pump-1/{f}"), null),
            new("plate-1", plateCard.Folder, plateCard, plateCard.Input.Features.ToDictionary(f => f, f => $"plate-1/{f}"), $"plate-1/{PlateSimulator.Trigger}"),
        ];
        return new EdgeConfig("(built-in simulated line)", sources, stations);
    }
}
