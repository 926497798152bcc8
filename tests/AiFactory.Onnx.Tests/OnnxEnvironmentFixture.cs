namespace AiFactory.Onnx.Tests;

/// <summary>One OrtEnv shared by the tests of a class, as in production.</summary>
public sealed class OnnxEnvironmentFixture : IDisposable
{
    public OnnxEnvironment Environment { get; } = OnnxEnvironment.Create("aifactory-tests");

    public void Dispose() => Environment.Dispose();
}
