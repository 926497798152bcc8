using Xunit;

namespace AiFactory.Testing;

/// <summary>A fact that needs ../shared/datasets/&lt;folder&gt;; skipped, saying why, when the folder is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatasetFactAttribute : FactAttribute
{
    public DatasetFactAttribute(string folder)
    {
        var path = Path.Combine(RepoPaths.Datasets, folder);
        if (!Directory.Exists(path))
        {
            Skip = $"dataset folder '{path}' is absent (the datasets are read by path from ../shared/datasets and never committed)";
        }
    }
}
