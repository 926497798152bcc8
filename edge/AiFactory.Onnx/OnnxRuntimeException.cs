using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace AiFactory.Onnx;

/// <summary>An error from ONNX Runtime or from this project, carrying what was being done (the model and the step) and ONNX Runtime's own message.</summary>
public sealed partial class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode code, string doing, string message)
        : base($"{doing}: [{code}] {message}")
    {
        Code = code;
        Doing = doing;
        RuntimeMessage = message;
    }

    public OnnxRuntimeException()
    {
        Doing = string.Empty;
        RuntimeMessage = string.Empty;
    }

    public OnnxRuntimeException(string message)
        : base(message)
    {
        Doing = string.Empty;
        RuntimeMessage = message;
    }

    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Doing = string.Empty;
        RuntimeMessage = message;
    }

    private OnnxRuntimeException(OrtErrorCode code, string doing, string message, Exception innerException)
        : base($"{doing}: [{code}] {message}", innerException)
    {
        Code = code;
        Doing = doing;
        RuntimeMessage = message;
    }

    public OrtErrorCode Code { get; }

    /// <summary>What was being done, e.g. "loading model 'pump-anomaly'".</summary>
    public string Doing { get; }

    /// <summary>ONNX Runtime's own message.</summary>
    public string RuntimeMessage { get; }

    /// <summary>
    /// ONNX Runtime's managed exception with what was being done in front. Its message reads "[ErrorCode:X] text"
    /// and it has no public code property, so the code is read back from the message.
    /// </summary>
    internal static OnnxRuntimeException From(Microsoft.ML.OnnxRuntime.OnnxRuntimeException runtime, string doing)
    {
        var match = RuntimeMessagePattern().Match(runtime.Message);
        return match.Success && Enum.TryParse<OrtErrorCode>(match.Groups[1].Value, out var code)
            ? new OnnxRuntimeException(code, doing, match.Groups[2].Value, runtime)
            : new OnnxRuntimeException(OrtErrorCode.Fail, doing, runtime.Message, runtime);
    }

    [GeneratedRegex(@"^\[ErrorCode:(\w+)\] (.*)$", RegexOptions.Singleline)]
    private static partial Regex RuntimeMessagePattern();
}
