using AiFactory.Edge.Sources.Simulation;

namespace AiFactory.Edge.Config;

internal static class SimulatorSourceConfig
{
    public static SourceDefinition? Read(ConfigNode item, string name)
    {
        var kind = item.String("kind", required: true, hint: "pump or plate");
        var station = item.String("station") ?? name;
        var seed = item.Int("seed", 42, 0, int.MaxValue);
        var speed = item.Double("speed", 1.0);
        switch (kind)
        {
            case "pump":
                return new SourceDefinition(name, "simulator", PumpSimulator.Features.Select(f => $"{station}/{f}").ToArray(), _ => new PumpSimulator(station, seed, speed));
            case "plate":
                return new SourceDefinition(name, "simulator", [.. PlateSimulator.Features.Select(f => $"{station}/{f}"), $"{station}/{PlateSimulator.Trigger}"], _ => new PlateSimulator(station, seed, speed));
            case null:
                return null;
            default:
                item.Problems.Add(item.Child("kind"), item.Key("kind"), $"'{kind}' is not a simulator", "pump or plate");
                return null;
        }
    }
}
