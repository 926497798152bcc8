using System.Runtime.InteropServices;

namespace AiFactory.Onnx.Native;

/// <summary>Finds and loads the ONNX Runtime native library once per process, and exposes its API table.</summary>
internal static unsafe class OrtLibrary
{
    public const string EnvironmentVariable = "AIFACTORY_ONNXRUNTIME_LIB";

    private static readonly Lazy<Loaded> Instance = new(LoadOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    public static OrtApi Api => Instance.Value.Api;

    public static string LibraryPath => Instance.Value.Path;

    public static string Version => Instance.Value.Version;

    public static string FileName =>
        OperatingSystem.IsWindows() ? "onnxruntime.dll"
        : OperatingSystem.IsMacOS() ? "libonnxruntime.1.dylib"
        : "libonnxruntime.so.1";

    private static Loaded LoadOnce()
    {
        var path = Locate();
        nint handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail, ex.Message, $"loading ONNX Runtime library '{path}'");
        }

        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBaseExport))
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail, "export 'OrtGetApiBase' not found",
                $"loading ONNX Runtime library '{path}'");
        }

        var apiBase = ((delegate* unmanaged[Cdecl]<nint*>)getApiBaseExport)();
        var getApi = (delegate* unmanaged[Cdecl]<uint, nint>)apiBase[0];
        var getVersionString = (delegate* unmanaged[Cdecl]<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((nint)getVersionString()) ?? "unknown";
        var table = getApi(OrtApi.ApiVersion);
        if (table == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail,
                $"the library is version {version} and does not offer API version {OrtApi.ApiVersion} (ONNX Runtime 1.30 or newer is needed)",
                $"loading ONNX Runtime library '{path}'");
        }

        return new Loaded(new OrtApi(table), path, version);
    }

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (!File.Exists(fromEnvironment))
            {
                throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, "the file does not exist",
                    $"loading ONNX Runtime library '{fromEnvironment}' named by {EnvironmentVariable}");
            }

            return Path.GetFullPath(fromEnvironment);
        }

        var nextToApp = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(nextToApp))
        {
            return nextToApp;
        }

        var assemblyDirectory = Path.GetDirectoryName(typeof(OrtLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            var nextToAssembly = Path.Combine(assemblyDirectory, FileName);
            if (File.Exists(nextToAssembly))
            {
                return nextToAssembly;
            }
        }

        throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile,
            $"'{FileName}' is neither next to the application ('{AppContext.BaseDirectory}') nor named by {EnvironmentVariable}; " +
            "build a project that references AiFactory.Onnx (its build places the library) or set the variable",
            "loading the ONNX Runtime library");
    }

    private sealed record Loaded(OrtApi Api, string Path, string Version);
}
