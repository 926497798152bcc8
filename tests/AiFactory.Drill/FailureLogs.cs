namespace AiFactory.Drill;

/// <summary>
/// What a failed scenario leaves behind for whoever looks into it: every edge's and the hub's whole output in a folder
/// that outlives the drill's temp folder, and in the notes each edge's last uplink lines (CI shows only the notes).
/// </summary>
internal static class FailureLogs
{
    private const int UplinkLines = 8;

    public static IEnumerable<string> Save(string scenario, int round, IReadOnlyList<DrillEdge> edges, DrillHub hub)
    {
        var folder = Path.Combine(Path.GetTempPath(), "aifactory-drill-failures", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{scenario}-{round}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "hub.log"), hub.Output);
        foreach (var e in edges)
        {
            File.WriteAllText(Path.Combine(folder, $"{e.Id}.log"), e.Process?.Output ?? string.Empty);
        }

        yield return $"{scenario}: the hub's and every edge's whole output are in {folder}";
        foreach (var e in edges)
        {
            var lines = (e.Process?.Output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.Contains("Uplink to", StringComparison.Ordinal) || l.Contains("health", StringComparison.OrdinalIgnoreCase))
                .TakeLast(UplinkLines)
                .Select(l => l.Trim());
            yield return $"{e.Id}'s last uplink lines: {string.Join(" | ", lines)}";
        }
    }
}
