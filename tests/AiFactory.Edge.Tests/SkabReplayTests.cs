using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AiFactory.Edge.Core.Models;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>
/// `replay` of SKAB through the edge (station, DynamicBatcher, ONNX Runtime) against what the Python reference
/// pipeline reports in models/pump-anomaly/final_per_file.json and card.yaml. Every test names the files it
/// replays (copied into family sub-folders of a temp folder), so fault families added to the dataset later
/// do not change what it checks.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SkabReplayTests : IDisposable
{
    /// <summary>SKAB's visible fault families (models/pump-anomaly/pipeline.py FAMILIES): dataset folder and file numbers.</summary>
    private static readonly (string Family, string Folder, int First, int Count)[] Families =
    [
        ("valve1", "valve1", 0, 16),
        ("valve2", "valve2", 0, 4),
        ("leaks", "other", 1, 4),
        ("rotor", "other", 5, 5),
    ];

    /// <summary>Rows a file's count may differ by: the edge's float32 ONNX Runtime against the reference's float32 numpy.</summary>
    private const int CountTolerance = 2;

    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-skab-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [DatasetFact("skab")]
    public async Task Replay_ValveFolders_EqualPythonReferenceCounts()
    {
        var files = Copy(Families.Where(f => f.Family is "valve1" or "valve2"), all: true);

        var output = await ReplayAsync();

        using var reference = Reference();
        var perFile = reference.RootElement.GetProperty("per_file");
        Assert.Equal(20, files.Count);
        foreach (var (relative, source) in files)
        {
            AssertCounts(output, Regex.Escape(relative), perFile.GetProperty(source), 0);
        }

        var perFamily = reference.RootElement.GetProperty("per_family");
        AssertCounts(output, "valve1", perFamily.GetProperty("valve1"), 0);
        AssertCounts(output, "valve2", perFamily.GetProperty("valve2"), 0);
        Assert.Contains("SKAB protocol over 20 file(s), rows after the first 400", output, StringComparison.Ordinal);
    }

    [DatasetFact("skab")]
    public async Task Replay_OneFilePerFamily_MatchesReferenceCountsAndTheCardAddsThemUp()
    {
        var files = Copy(Families, all: false);

        var output = await ReplayAsync();

        // Each family's first file scores as the reference says; the card's per-family figures are the
        // SKAB metrics of the reference's per-file counts summed over the family.
        using var reference = Reference();
        var perFile = reference.RootElement.GetProperty("per_file");
        Assert.Equal(Families.Length, files.Count);
        foreach (var (relative, source) in files)
        {
            AssertCounts(output, Regex.Escape(relative), perFile.GetProperty(source), CountTolerance);
            var family = relative[..relative.IndexOf('/', StringComparison.Ordinal)];
            Assert.Matches(new Regex($@"^{family}\s+\d+\s+\d+\s+\d+\s+\d+\s+1\s", RegexOptions.Multiline), output);
        }

        var metrics = CardMetrics();
        foreach (var (family, folder, first, count) in Families)
        {
            long tp = 0, fp = 0, fn = 0, tn = 0;
            for (var i = first; i < first + count; i++)
            {
                var c = perFile.GetProperty($"{folder}/{i}.csv");
                tp += c.GetProperty("tp").GetInt64();
                fp += c.GetProperty("fp").GetInt64();
                fn += c.GetProperty("fn").GetInt64();
                tn += c.GetProperty("tn").GetInt64();
            }

            Assert.Equal(Math.Round(tp / (tp + ((fn + fp) / 2.0)), 4), metrics[$"final_{family}_f1"], 4);
            Assert.Equal(Math.Round(fp / (double)(fp + tn), 4), metrics[$"final_{family}_far"], 4);
            Assert.Equal(Math.Round(fn / (double)(fn + tp), 4), metrics[$"final_{family}_mar"], 4);
        }
    }

    [DatasetFact("skab")]
    public async Task Replay_EveryVisibleFamily_ReproducesTheCardsPerFamilyFigures()
    {
        Copy(Families, all: true);

        var output = await ReplayAsync();

        var metrics = CardMetrics();
        foreach (var (family, _, _, count) in Families)
        {
            var line = new Regex($@"^{family}\s+\d+\s+\d+\s+\d+\s+\d+\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", RegexOptions.Multiline).Match(output);
            Assert.True(line.Success, $"no metrics line for family '{family}' in:\n{output}");
            Assert.Equal(count, int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.InRange(Parse(line.Groups[2]) - metrics[$"final_{family}_f1"], -0.005, 0.005);
            Assert.InRange((Parse(line.Groups[3]) / 100) - metrics[$"final_{family}_far"], -0.005, 0.005);
            Assert.InRange((Parse(line.Groups[4]) / 100) - metrics[$"final_{family}_mar"], -0.005, 0.005);
        }
    }

    /// <summary>Copies each family's files (or only its first) to in/&lt;family&gt;/; answers relative path → dataset path.</summary>
    private List<(string Relative, string Source)> Copy(IEnumerable<(string Family, string Folder, int First, int Count)> families, bool all)
    {
        var copied = new List<(string, string)>();
        foreach (var (family, folder, first, count) in families)
        {
            Directory.CreateDirectory(Path.Combine(_dir, "in", family));
            for (var i = first; i < first + (all ? count : 1); i++)
            {
                var name = $"{i}.csv";
                File.Copy(Path.Combine(RepoPaths.Datasets, "skab", folder, name), Path.Combine(_dir, "in", family, name));
                copied.Add(($"{family}/{name}", $"{folder}/{name}"));
            }
        }

        return copied;
    }

    private async Task<string> ReplayAsync()
    {
        var (exit, output) = await CliRunner.RunAsync("replay", "--model", RepoPaths.Model("pump-anomaly"), "--input", Path.Combine(_dir, "in"), "--output", Path.Combine(_dir, "out"));
        Assert.True(exit == 0, output);
        return output;
    }

    private static JsonDocument Reference() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Model("pump-anomaly"), "final_per_file.json")));

    private static Dictionary<string, double> CardMetrics() =>
        ModelCardReader.Read(RepoPaths.Model("pump-anomaly")).Metrics!.ToDictionary(m => m.Key, m => Convert.ToDouble(m.Value, CultureInfo.InvariantCulture));

    private static double Parse(Group g) => double.Parse(g.Value, CultureInfo.InvariantCulture);

    /// <summary>The line starting with <paramref name="label"/> has TP FP FN TN within <paramref name="tolerance"/> rows of <paramref name="counts"/>.</summary>
    private static void AssertCounts(string output, string label, JsonElement counts, int tolerance)
    {
        var line = new Regex($@"^{label}\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s", RegexOptions.Multiline).Match(output);
        Assert.True(line.Success, $"no counts line for '{label}' in:\n{output}");
        string[] keys = ["tp", "fp", "fn", "tn"];
        for (var k = 0; k < keys.Length; k++)
        {
            var want = counts.GetProperty(keys[k]).GetInt64();
            var got = long.Parse(line.Groups[k + 1].Value, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(got - want) <= tolerance, $"{label}: {keys[k]} {got}, the reference says {want} (± {tolerance})");
        }
    }
}
