using Microsoft.ML.OnnxRuntime;

namespace AiFactory.Onnx;

/// <summary>
/// ONNX Runtime's process environment (its logging and global thread state), created once with our log id and the
/// warning level. ONNX Runtime's managed <see cref="OrtEnv"/> is a process singleton that must outlive every session,
/// so disposing this handle releases nothing: it marks the scope in which the caller loads models.
/// </summary>
public sealed class OnnxEnvironment : IDisposable
{
    private static readonly Lock Creating = new();

    private OnnxEnvironment()
    {
    }

    /// <summary>ONNX Runtime's own version string, e.g. "1.32.0".</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    public static OnnxEnvironment Create(string logId = "aifactory")
    {
        lock (Creating)
        {
            if (!OrtEnv.IsCreated)
            {
                var options = new EnvironmentCreationOptions { logId = logId, logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING };
                OrtEnv.CreateInstanceWithOptions(ref options);
            }

            return new OnnxEnvironment();
        }
    }

    public void Dispose()
    {
    }
}
