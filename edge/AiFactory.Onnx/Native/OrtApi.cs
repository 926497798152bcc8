using System.Runtime.InteropServices;

namespace AiFactory.Onnx.Native;

/// <summary>
/// The subset of ONNX Runtime's OrtApi function table this binding calls, read from the table's slots.
/// </summary>
/// <remarks>
/// Slot indices, counted member by member in onnxruntime_c_api.h (struct OrtApi only ever appends, so these slots are
/// stable across releases; ORT_API_VERSION is 30 for ONNX Runtime 1.30):
/// <code>
///   1 GetErrorCode                 2 GetErrorMessage            3 CreateEnv
///   7 CreateSession                8 CreateSessionFromArray     9 Run
///  10 CreateSessionOptions        23 SetSessionGraphOptimizationLevel
///  24 SetIntraOpNumThreads        25 SetInterOpNumThreads
///  30 SessionGetInputCount        31 SessionGetOutputCount
///  33 SessionGetInputTypeInfo     34 SessionGetOutputTypeInfo
///  36 SessionGetInputName         37 SessionGetOutputName
///  49 CreateTensorWithDataAsOrtValue                           51 GetTensorMutableData
///  53 GetStringTensorDataLength   54 GetStringTensorContent    55 CastTypeInfoToTensorInfo
///  60 GetTensorElementType        61 GetDimensionsCount        62 GetDimensions
///  65 GetTensorTypeAndShape       69 CreateCpuMemoryInfo       76 AllocatorFree
///  78 GetAllocatorWithDefaultOptions
///  92 ReleaseEnv                  93 ReleaseStatus             94 ReleaseMemoryInfo
///  95 ReleaseSession              96 ReleaseValue              98 ReleaseTypeInfo
///  99 ReleaseTensorTypeAndShapeInfo                           100 ReleaseSessionOptions
/// 130 AddSessionConfigEntry
/// </code>
/// OrtApiBase is { GetApi(uint32_t version), GetVersionString() }.
/// </remarks>
internal sealed unsafe class OrtApi
{
    public const uint ApiVersion = 30;

    public readonly delegate* unmanaged[Cdecl]<nint, int> GetErrorCode;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged[Cdecl]<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetStringTensorDataLength;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, nuint, nint> GetStringTensorContent;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged[Cdecl]<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged[Cdecl]<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSession;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseValue;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint> AddSessionConfigEntry;

    public OrtApi(nint table)
    {
        var slots = (nint*)table;
        GetErrorCode = (delegate* unmanaged[Cdecl]<nint, int>)slots[1];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<nint, byte*>)slots[2];
        CreateEnv = (delegate* unmanaged[Cdecl]<int, byte*, nint*, nint>)slots[3];
        CreateSession = (delegate* unmanaged[Cdecl]<nint, void*, nint, nint*, nint>)slots[7];
        CreateSessionFromArray = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint>)slots[8];
        Run = (delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)slots[9];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)slots[10];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<nint, int, nint>)slots[23];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)slots[24];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)slots[25];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)slots[30];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)slots[31];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)slots[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)slots[34];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)slots[36];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)slots[37];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint>)slots[49];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<nint, void**, nint>)slots[51];
        GetStringTensorDataLength = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)slots[53];
        GetStringTensorContent = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nuint*, nuint, nint>)slots[54];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)slots[55];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<nint, int*, nint>)slots[60];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)slots[61];
        GetDimensions = (delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)slots[62];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)slots[65];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, nint*, nint>)slots[69];
        AllocatorFree = (delegate* unmanaged[Cdecl]<nint, void*, nint>)slots[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)slots[78];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<nint, void>)slots[92];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<nint, void>)slots[93];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<nint, void>)slots[94];
        ReleaseSession = (delegate* unmanaged[Cdecl]<nint, void>)slots[95];
        ReleaseValue = (delegate* unmanaged[Cdecl]<nint, void>)slots[96];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<nint, void>)slots[98];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<nint, void>)slots[99];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<nint, void>)slots[100];
        AddSessionConfigEntry = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint>)slots[130];
    }

    /// <summary>Turns a non-null OrtStatus into an exception (and releases the status).</summary>
    public void Check(nint status, string operation)
    {
        if (status != 0)
        {
            throw ToException(status, operation);
        }
    }

    public OnnxRuntimeException ToException(nint status, string operation)
    {
        var code = (OrtErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        return new OnnxRuntimeException(code, message, operation);
    }
}
