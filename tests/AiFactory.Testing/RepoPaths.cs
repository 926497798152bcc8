namespace AiFactory.Testing;

/// <summary>Finds the repository root (the folder holding AiFactory.sln) and the shared datasets beside it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Models => Path.Combine(Root, "models");

    /// <summary>../shared/datasets relative to the repository root, or AIFACTORY_DATASETS when set.</summary>
    public static string Datasets =>
        Environment.GetEnvironmentVariable("AIFACTORY_DATASETS") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets"));

    public static string Model(string name) => Path.Combine(Models, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiFactory.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no AiFactory.sln above '{AppContext.BaseDirectory}'");
    }
}
