using System.Diagnostics;
using AiFactory.Testing;

namespace AiFactory.Onnx.Tests;

/// <summary>
/// Builds edge/AiFactory.Onnx as a child <c>dotnet build</c> with an empty cache folder, its own obj/bin folders and
/// nothing in the way of the suite's own build, to check that a machine that cannot get the native library is told
/// what to do (build/OnnxRuntimeNative.targets).
/// </summary>
[Trait("Category", "Integration")]
public sealed class OnnxRuntimeAcquisitionTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("aifactory-ort-build-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public async Task Build_WithoutNpmAndWithoutCachedLibrary_FailsSayingWhatToDo()
    {
        var cache = _temp.CreateSubdirectory("cache");

        var (exit, output) = await BuildAsync(cache.FullName, libraryOverride: null);

        Assert.NotEqual(0, exit);
        Assert.Contains(
            "ONNX Runtime: npm was not found. Install Node.js and npm (Debian: apt-get install nodejs npm), or set OnnxRuntimeLibraryPath / AIFACTORY_ONNXRUNTIME_LIB to an existing libonnxruntime 1.30.",
            output,
            StringComparison.Ordinal);
        Assert.Empty(cache.GetFileSystemInfos("*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(_temp.FullName, "bin", "libonnxruntime.so.1")), "no library may reach the output");
    }

    [Fact]
    public async Task Build_WithLibraryOverrideThatDoesNotExist_FailsNamingThePath()
    {
        var missing = Path.Combine(_temp.FullName, "nowhere", "libonnxruntime.so.1");

        var (exit, output) = await BuildAsync(_temp.CreateSubdirectory("cache").FullName, missing);

        Assert.NotEqual(0, exit);
        Assert.Contains($"ONNX Runtime: OnnxRuntimeLibraryPath / AIFACTORY_ONNXRUNTIME_LIB points at '{missing}', which does not exist.", output, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> BuildAsync(string cacheHome, string? libraryOverride)
    {
        var project = Path.Combine(RepoPaths.Root, "edge", "AiFactory.Onnx", "AiFactory.Onnx.csproj");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _temp.FullName,
        };
        foreach (var a in new[]
        {
            "build", project, "-nologo", "-nodeReuse:false", "-v:m", "-clp:NoSummary",
            "-o", Path.Combine(_temp.FullName, "bin"), $"-p:BaseIntermediateOutputPath={Path.Combine(_temp.FullName, "obj")}/",
        })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PATH"] = PathWithoutNpm();
        start.Environment["XDG_CACHE_HOME"] = cacheHome;
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        if (libraryOverride is null)
        {
            start.Environment.Remove("AIFACTORY_ONNXRUNTIME_LIB");
        }
        else
        {
            start.Environment["AIFACTORY_ONNXRUNTIME_LIB"] = libraryOverride;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH under <c>dotnet test</c>), links resolved so
    /// that its folder is the SDK's own and not /usr/bin beside npm.
    /// </summary>
    private static string DotnetHost() => new FileInfo(FindDotnetHost()).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? FindDotnetHost();

    private static string FindDotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return "/usr/share/dotnet/dotnet";
    }

    /// <summary>This PATH without every folder that holds npm, so the build's <c>npm --version</c> fails as on a machine without it.</summary>
    private static string PathWithoutNpm()
    {
        var kept = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(d => !File.Exists(Path.Combine(d, "npm")) && !File.Exists(Path.Combine(d, "npm.cmd")));
        return string.Join(Path.PathSeparator, kept.Prepend(Path.GetDirectoryName(DotnetHost())!));
    }
}
