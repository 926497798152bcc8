namespace AiFactory.Edge.Live;

public sealed record SimulatedLineOptions(string? ModelsFolder, int Seed = 42, double Speed = 20.0, double DurationSeconds = 0);
