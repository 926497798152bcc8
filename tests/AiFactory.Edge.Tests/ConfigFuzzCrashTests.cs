using AiFactory.Edge.Config;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>Configurations that crashed the reader under afl++ (deploy/fuzz.sh, config target), kept as they were found in FuzzCrashes/.</summary>
[Trait("Category", "Unit")]
public sealed class ConfigFuzzCrashTests
{
    [Fact]
    public void Read_EventYamlDotNetDoesNotLoad_IsAProblemNamingTheFile()
    {
        var file = Path.Combine(RepoPaths.Root, "tests", "AiFactory.Edge.Tests", "FuzzCrashes", "config-0.yaml");

        var ex = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file));

        Assert.Equal($"{file}: (file): not valid YAML: the parser stopped (The current event is of an unsupported type. (Parameter 'parser')) (hint: look for an unclosed '{{' or '[' in a value)", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Read_KeyThatIsAMapping_IsAProblemNamingItsLine()
    {
        var file = Path.Combine(RepoPaths.Root, "tests", "AiFactory.Edge.Tests", "FuzzCrashes", "config-1.yaml");

        var ex = Assert.Throws<EdgeConfigException>(() => EdgeConfigReader.Read(file));

        Assert.Contains(ex.Problems, p => p.StartsWith($"{file}:", StringComparison.Ordinal) && p.EndsWith("(key): a key must be plain text, not a list or a mapping", StringComparison.Ordinal));
    }
}
