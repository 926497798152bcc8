using System.Runtime.InteropServices;

namespace AiFactory.Onnx.Native;

/// <summary>
/// Loads ONNX Runtime's native library once per process: from AIFACTORY_ONNXRUNTIME_LIB when set, else
/// from next to this assembly (where the build places it), and resolves the OrtApi table.
/// </summary>
internal static unsafe class OnnxRuntimeLibrary
{
    /// <summary>ORT_API_VERSION requested from OrtApiBase::GetApi. ONNX Runtime 1.30 serves it and every older one.</summary>
    public const uint ApiVersion = 23;

    public const string EnvironmentVariable = "AIFACTORY_ONNXRUNTIME_LIB";

    private static readonly Lazy<(OrtApi Api, string Path, string Version)> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static OrtApi Api => Loaded.Value.Api;

    public static string LibraryPath => Loaded.Value.Path;

    public static string Version => Loaded.Value.Version;

    private static (OrtApi, string, string) Load()
    {
        var path = ResolvePath();
        IntPtr library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail, $"loading the ONNX Runtime library '{path}'", ex.Message);
        }

        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBaseExport))
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail, $"loading the ONNX Runtime library '{path}'", "it exports no OrtGetApiBase: not an ONNX Runtime library");
        }

        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
        var apiBase = ((delegate* unmanaged[Cdecl]<IntPtr*>)getApiBaseExport)();
        var getApi = (delegate* unmanaged[Cdecl]<uint, IntPtr>)apiBase[0];
        var getVersion = (delegate* unmanaged[Cdecl]<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((IntPtr)getVersion()) ?? "unknown";
        var table = getApi(ApiVersion);
        if (table == IntPtr.Zero)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail, $"loading the ONNX Runtime library '{path}'", $"version {version} does not serve API version {ApiVersion}; ONNX Runtime 1.{ApiVersion} or newer is needed");
        }

        return (new OrtApi(table), path, version);
    }

    private static string ResolvePath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (!File.Exists(fromEnvironment))
            {
                throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, "loading the ONNX Runtime library", $"{EnvironmentVariable} points at '{fromEnvironment}', which does not exist");
            }

            return fromEnvironment;
        }

        var fileName = OperatingSystem.IsWindows() ? "onnxruntime.dll"
            : OperatingSystem.IsMacOS() ? "libonnxruntime.1.dylib"
            : "libonnxruntime.so.1";
        var besideAssembly = Path.Combine(AppContext.BaseDirectory, fileName);
        if (!File.Exists(besideAssembly))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, "loading the ONNX Runtime library", $"'{besideAssembly}' is missing: build the project (it fetches onnxruntime-node@1.30.0 with npm) or set {EnvironmentVariable}");
        }

        return besideAssembly;
    }
}
