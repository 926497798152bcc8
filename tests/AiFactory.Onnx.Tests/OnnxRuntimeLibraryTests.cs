using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AiFactory.Onnx.Tests;

/// <summary>ONNX Runtime's native library comes from the Microsoft.ML.OnnxRuntime package, in this build's own output.</summary>
[Collection(OnnxCollection.Name)]
[Trait("Category", "Unit")]
public sealed class OnnxRuntimeLibraryTests(OnnxFixture fixture)
{
    [Fact]
    public void Environment_IsOnnxRuntime132()
    {
        Assert.NotNull(fixture.Environment);
        Assert.Equal("1.32.0", OnnxEnvironment.RuntimeVersion);
    }

    [Fact]
    public void LoadedNativeLibrary_LiesInTheBuildOutput()
    {
        using var model = OnnxModel.Load(fixture.Environment, OnnxFixture.Path("affine.onnx"), new OnnxSessionOptions(), "affine");
        var name = OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";

        using var self = Process.GetCurrentProcess();
        var loaded = self.Modules.Cast<ProcessModule>().Select(m => m.FileName).Where(f => Path.GetFileName(f) == name).Distinct().ToArray();

        var expected = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", name);
        Assert.Equal([Path.GetFullPath(expected)], loaded);
    }
}
