using System.Text;
using AiFactory.Onnx.Native;

namespace AiFactory.Onnx;

/// <summary>ONNX Runtime's process environment (logging, global state). Create one and share it.</summary>
public sealed unsafe class OnnxEnvironment : IDisposable
{
    private const int LoggingLevelWarning = 2;

    private OnnxEnvironment(OrtHandle handle, OrtHandle cpuMemory)
    {
        Handle = handle;
        CpuMemory = cpuMemory;
    }

    /// <summary>The native library actually loaded.</summary>
    public static string LibraryPath => OnnxRuntimeLibrary.LibraryPath;

    /// <summary>ONNX Runtime's own version string, e.g. "1.30.0".</summary>
    public static string RuntimeVersion => OnnxRuntimeLibrary.Version;

    internal OrtHandle Handle { get; }

    internal OrtHandle CpuMemory { get; }

    public static OnnxEnvironment Create(string logId = "aifactory")
    {
        var api = OnnxRuntimeLibrary.Api;
        var id = Encoding.UTF8.GetBytes(logId + "\0");
        IntPtr env;
        fixed (byte* idPtr = id)
        {
            api.Check(api.CreateEnv(LoggingLevelWarning, idPtr, &env), "creating the ONNX Runtime environment");
        }

        var envHandle = new OrtHandle(env, api.ReleaseEnv);
        IntPtr memoryInfo;
        // OrtArenaAllocator = 1, OrtMemTypeDefault = 0: describes the caller-owned CPU buffers tensors wrap.
        api.Check(api.CreateCpuMemoryInfo(1, 0, &memoryInfo), "describing CPU memory for ONNX Runtime");
        return new OnnxEnvironment(envHandle, new OrtHandle(memoryInfo, api.ReleaseMemoryInfo));
    }

    public void Dispose()
    {
        CpuMemory.Dispose();
        Handle.Dispose();
    }
}
