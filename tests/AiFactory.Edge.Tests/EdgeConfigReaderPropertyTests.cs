using System.Globalization;
using AiFactory.Edge.Config;
using AiFactory.Testing;
using CsCheck;

namespace AiFactory.Edge.Tests;

/// <summary>
/// The configuration reader over arbitrary edits of a valid file: it reads the file or lists problems that each name
/// the file (and where it can, the line), never anything else; numbers in range read back exactly.
/// </summary>
[Trait("Category", "Unit")]
public sealed class EdgeConfigReaderPropertyTests : IDisposable
{
    private static readonly string[] Scalars =
    [
        "-1", "0", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e309", "NaN", ".inf", "\"\"", "~", "[", "{", "}", "]",
        "'unterminated", "\"\\u0000\"", "&anchor", "*alias", "!!binary AAAA", "${AIFACTORY_NOT_SET_ANYWHERE}", new string('x', 5000), "- item", ": :", "\t",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("aifactory-config-props-").FullName;
    private readonly string[] _lines;
    private int _files;

    public EdgeConfigReaderPropertyTests()
    {
        Environment.SetEnvironmentVariable("AIFACTORY_CONFIG_PROPS_KEY", "k");
        _lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "edge", "configs", "simulator-uplink.yaml"))
            .Select(l => l.Replace("../../models/", RepoPaths.Root + "/models/", StringComparison.Ordinal).Replace("${AIFACTORY_HUB_KEY}", "${AIFACTORY_CONFIG_PROPS_KEY}", StringComparison.Ordinal))
            .ToArray();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_BaseFile_IsValid() => Assert.NotNull(EdgeConfigReader.Read(Write(Join([.. _lines]))).Uplink);

    [Fact]
    public void Read_AnyEditOfAValidFile_ReadsOrListsProblemsNamingTheFile() =>
        Gen.Select(Gen.Int[0, _lines.Length - 1], Gen.Int[0, 4], Gen.OneOf(Scalars), Gen.Int[0, 4000], Gen.Char).Sample((line, kind, scalar, at, c) =>
        {
            var lines = _lines.ToList();
            var text = kind switch
            {
                0 => Replace(lines, line, scalar),
                1 => Remove(lines, line),
                2 => Duplicate(lines, line),
                3 => Join(lines).Insert(Math.Min(at, Join(lines).Length), c.ToString()),
                _ => Join(lines)[..Math.Min(at, Join(lines).Length)],
            };
            var file = Write(text);
            try
            {
                EdgeConfigReader.Read(file);
            }
            catch (EdgeConfigException ex)
            {
                Assert.NotEmpty(ex.Problems);
                Assert.All(ex.Problems, p => Assert.StartsWith(file, p, StringComparison.Ordinal));
            }
        }, iter: 400, threads: 1);

    /// <summary>Found by the property above: YamlDotNet threw InvalidOperationException out of the reader.</summary>
    [Fact]
    public void Read_UnclosedFlowMappingAsAValue_IsAProblemNamingTheFile()
    {
        var lines = _lines.ToList();
        var file = Write(Replace(lines, lines.FindIndex(l => l.Contains("batch_records", StringComparison.Ordinal)), "{"));

        var ex = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file));

        Assert.Equal($"{file}: (file): not valid YAML: the parser stopped (Operation is not valid due to the current state of the object.) (hint: look for an unclosed '{{' or '[' in a value)", Assert.Single(ex.Problems));
    }

    /// <summary>Found by the property above: a NUL in a model path threw ArgumentException out of the reader.</summary>
    [Fact]
    public void Read_ModelPathWithANul_IsAProblemNamingTheLine()
    {
        var lines = _lines.ToList();
        var at = lines.FindIndex(l => l.Contains("model:", StringComparison.Ordinal));
        var file = Write(Replace(lines, at, "\"pump\\u0000\""));

        var ex = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file));

        Assert.Equal($"{file}:{at + 1}:12: stations[0].model: is not a usable path (Null character in path. (Parameter 'path')) (hint: a model folder holding card.yaml, relative to this file)", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Read_UplinkNumbersInRange_ReadBackExactly() =>
        Gen.Select(Gen.OneOf(1, 2, 5, 10, 15, 30, 60, 300, 3600, 86_400), Gen.Int[1, 100_000], Gen.Int[1, 86_400], Gen.Int[1, 1_000_000], Gen.Int[1, 87_600]).Sample((window, batch, cap, maxMb, maxAgeH) =>
        {
            var text = Join([.. _lines])
                .Replace("window_s: 10", $"window_s: {window}", StringComparison.Ordinal)
                .Replace("batch_records: 500", $"batch_records: {batch}", StringComparison.Ordinal)
                .Replace("backoff_cap_s: 300", $"backoff_cap_s: {cap}", StringComparison.Ordinal)
                .Replace("max_mb: 256", $"max_mb: {maxMb}", StringComparison.Ordinal)
                .Replace("max_age_h: 168", $"max_age_h: {maxAgeH}", StringComparison.Ordinal);

            var uplink = EdgeConfigReader.Read(Write(text)).Uplink!;

            Assert.Equal(
                (TimeSpan.FromSeconds(window), batch, TimeSpan.FromSeconds(cap), maxMb * 1024L * 1024, TimeSpan.FromHours(maxAgeH)),
                (uplink.Window, uplink.BatchRecords, uplink.BackoffCap, uplink.Outbox.MaxBytes, uplink.Outbox.MaxAge));
        }, iter: 100, threads: 1);

    private static string Join(List<string> lines) => string.Join('\n', lines);

    private static string Replace(List<string> lines, int line, string scalar)
    {
        var colon = lines[line].IndexOf(':', StringComparison.Ordinal);
        lines[line] = colon < 0 ? scalar : lines[line][..(colon + 1)] + " " + scalar;
        return Join(lines);
    }

    private static string Remove(List<string> lines, int line)
    {
        lines.RemoveAt(line);
        return Join(lines);
    }

    private static string Duplicate(List<string> lines, int line)
    {
        lines.Insert(line, lines[line]);
        return Join(lines);
    }

    private string Write(string text)
    {
        var file = Path.Combine(_dir, string.Create(CultureInfo.InvariantCulture, $"line-{_files++}.yaml"));
        File.WriteAllText(file, text);
        return file;
    }
}
