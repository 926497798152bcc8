namespace AiFactory.Edge.Live;

/// <summary>Finds the models/ folder: the one given, else the nearest above the current folder or the program's folder.</summary>
public static class ModelLocator
{
    public static string Find(string? given)
    {
        if (given is not null)
        {
            return Directory.Exists(given) ? Path.GetFullPath(given) : throw new DirectoryNotFoundException($"models folder '{given}' does not exist");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models");
                if (File.Exists(Path.Combine(candidate, "pump-anomaly", "card.yaml")))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"no models/ folder with pump-anomaly/card.yaml above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'; pass --models");
    }
}
