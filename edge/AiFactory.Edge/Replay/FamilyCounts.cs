namespace AiFactory.Edge.Replay;

/// <summary>
/// Confusion counts per family: a family is the first sub-folder of a replayed file's path relative to the
/// input folder (`valve1/3.csv` is in family `valve1`); files directly in the input folder have none.
/// </summary>
public sealed class FamilyCounts
{
    private readonly List<(string Family, int Files, ConfusionCounts Counts)> _families = [];

    public IReadOnlyList<(string Family, int Files, ConfusionCounts Counts)> Families => _families;

    /// <summary>The family of <paramref name="relativePath"/>, or null when the file is not in a sub-folder.</summary>
    public static string? FamilyOf(string relativePath)
    {
        var cut = relativePath.IndexOfAny(['/', '\\']);
        return cut > 0 ? relativePath[..cut] : null;
    }

    public void Add(string relativePath, ConfusionCounts counts)
    {
        if (FamilyOf(relativePath) is not { } family)
        {
            return;
        }

        var i = _families.FindIndex(f => f.Family == family);
        if (i < 0)
        {
            _families.Add((family, 1, Copy(counts)));
            return;
        }

        var (_, files, total) = _families[i];
        total.Add(counts);
        _families[i] = (family, files + 1, total);
    }

    private static ConfusionCounts Copy(ConfusionCounts counts)
    {
        var copy = new ConfusionCounts();
        copy.Add(counts);
        return copy;
    }
}
