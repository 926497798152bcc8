namespace AiFactory.Onnx;

/// <summary>
/// An error reported by ONNX Runtime (or found while preparing a call to it), carrying ORT's error code,
/// its own message and what was being done, e.g. "loading model 'pump-anomaly': [ORT_INVALID_PROTOBUF] ...".
/// </summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException()
        : this(OrtErrorCode.Fail, "unknown error", "using ONNX Runtime")
    {
    }

    public OnnxRuntimeException(string message)
        : this(OrtErrorCode.Fail, message, "using ONNX Runtime")
    {
    }

    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = OrtErrorCode.Fail;
        RuntimeMessage = message;
        Operation = "using ONNX Runtime";
    }

    public OnnxRuntimeException(OrtErrorCode errorCode, string runtimeMessage, string operation)
        : base($"{operation}: [{CodeName(errorCode)}] {runtimeMessage}")
    {
        ErrorCode = errorCode;
        RuntimeMessage = runtimeMessage;
        Operation = operation;
    }

    /// <summary>ORT's error code.</summary>
    public OrtErrorCode ErrorCode { get; }

    /// <summary>ORT's own message (or the binding's, for problems found before calling ORT).</summary>
    public string RuntimeMessage { get; }

    /// <summary>What was being done, e.g. "running model 'pump-anomaly' (batch 8)".</summary>
    public string Operation { get; }

    /// <summary>The code as ORT's header spells it, e.g. ORT_INVALID_PROTOBUF.</summary>
    public static string CodeName(OrtErrorCode code) => code switch
    {
        OrtErrorCode.Ok => "ORT_OK",
        OrtErrorCode.Fail => "ORT_FAIL",
        OrtErrorCode.InvalidArgument => "ORT_INVALID_ARGUMENT",
        OrtErrorCode.NoSuchFile => "ORT_NO_SUCHFILE",
        OrtErrorCode.NoModel => "ORT_NO_MODEL",
        OrtErrorCode.EngineError => "ORT_ENGINE_ERROR",
        OrtErrorCode.RuntimeException => "ORT_RUNTIME_EXCEPTION",
        OrtErrorCode.InvalidProtobuf => "ORT_INVALID_PROTOBUF",
        OrtErrorCode.ModelLoaded => "ORT_MODEL_LOADED",
        OrtErrorCode.NotImplemented => "ORT_NOT_IMPLEMENTED",
        OrtErrorCode.InvalidGraph => "ORT_INVALID_GRAPH",
        OrtErrorCode.EpFail => "ORT_EP_FAIL",
        OrtErrorCode.ModelLoadCanceled => "ORT_MODEL_LOAD_CANCELED",
        OrtErrorCode.ModelRequiresCompilation => "ORT_MODEL_REQUIRES_COMPILATION",
        OrtErrorCode.NotFound => "ORT_NOT_FOUND",
        _ => $"ORT_ERROR_{(int)code}",
    };
}
