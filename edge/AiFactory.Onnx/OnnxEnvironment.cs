using AiFactory.Onnx.Native;

namespace AiFactory.Onnx;

/// <summary>The ONNX Runtime environment (OrtEnv) that sessions are created in; one per process is typical.</summary>
public sealed unsafe class OnnxEnvironment : IDisposable
{
    // ORT_LOGGING_LEVEL_ERROR: warnings about e.g. unused initialisers would otherwise go to stderr.
    private const int LoggingLevelError = 3;

    private OnnxEnvironment(OrtHandle handle, string logId)
    {
        Handle = handle;
        LogId = logId;
    }

    /// <summary>Full path of the native library actually loaded.</summary>
    public static string LibraryPath => OrtLibrary.LibraryPath;

    /// <summary>The loaded library's version, e.g. "1.30.0".</summary>
    public static string RuntimeVersion => OrtLibrary.Version;

    public string LogId { get; }

    internal OrtHandle Handle { get; }

    public static OnnxEnvironment Create(string logId = "aifactory")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logId);
        var api = OrtLibrary.Api;
        var name = Utf8.Encode(logId);
        nint env;
        fixed (byte* namePointer = name)
        {
            api.Check(api.CreateEnv(LoggingLevelError, namePointer, &env), $"creating ONNX Runtime environment '{logId}'");
        }

        return new OnnxEnvironment(new OrtHandle(env, api.ReleaseEnv), logId);
    }

    public void Dispose() => Handle.Dispose();
}
