namespace AiFactory.Onnx.Tests;

/// <summary>One ONNX Runtime environment for the whole test assembly, as a process would hold.</summary>
public sealed class OnnxFixture : IDisposable
{
    public OnnxEnvironment Environment { get; } = OnnxEnvironment.Create("aifactory-tests");

    public static string Path(string fixture) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture);

    public void Dispose() => Environment.Dispose();
}
