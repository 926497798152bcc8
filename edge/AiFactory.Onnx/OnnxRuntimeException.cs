using AiFactory.Onnx.Native;

namespace AiFactory.Onnx;

/// <summary>An error from ONNX Runtime or from this binding, carrying what was being done and ONNX Runtime's own message.</summary>
public sealed class OnnxRuntimeException : Exception
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

    public OrtErrorCode Code { get; }

    /// <summary>What the binding was doing, e.g. "loading model 'pump-anomaly'".</summary>
    public string Doing { get; }

    /// <summary>ONNX Runtime's own message.</summary>
    public string RuntimeMessage { get; }
}
