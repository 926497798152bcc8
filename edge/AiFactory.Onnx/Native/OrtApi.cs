using System.Runtime.InteropServices;

namespace AiFactory.Onnx.Native;

/// <summary>
/// The slots of ONNX Runtime's <c>OrtApi</c> function table that this binding calls. The table is a C
/// struct of function pointers that ONNX Runtime only ever appends to, so a slot's index is fixed across
/// versions. Indices were counted from the public header <c>onnxruntime_c_api.h</c>.
/// </summary>
internal unsafe sealed class OrtApi
{
    // Slot indices in struct OrtApi (onnxruntime_c_api.h).
    private const int GetErrorCodeSlot = 1;
    private const int GetErrorMessageSlot = 2;
    private const int CreateEnvSlot = 3;
    private const int CreateSessionSlot = 7;
    private const int CreateSessionFromArraySlot = 8;
    private const int RunSlot = 9;
    private const int CreateSessionOptionsSlot = 10;
    private const int SetSessionGraphOptimizationLevelSlot = 23;
    private const int SetIntraOpNumThreadsSlot = 24;
    private const int SetInterOpNumThreadsSlot = 25;
    private const int SessionGetInputCountSlot = 30;
    private const int SessionGetOutputCountSlot = 31;
    private const int SessionGetInputTypeInfoSlot = 33;
    private const int SessionGetOutputTypeInfoSlot = 34;
    private const int SessionGetInputNameSlot = 36;
    private const int SessionGetOutputNameSlot = 37;
    private const int CreateTensorWithDataAsOrtValueSlot = 49;
    private const int GetTensorMutableDataSlot = 51;
    private const int GetStringTensorDataLengthSlot = 53;
    private const int GetStringTensorContentSlot = 54;
    private const int CastTypeInfoToTensorInfoSlot = 55;
    private const int GetOnnxTypeFromTypeInfoSlot = 56;
    private const int GetTensorElementTypeSlot = 60;
    private const int GetDimensionsCountSlot = 61;
    private const int GetDimensionsSlot = 62;
    private const int GetTensorShapeElementCountSlot = 64;
    private const int GetTensorTypeAndShapeSlot = 65;
    private const int CreateCpuMemoryInfoSlot = 69;
    private const int AllocatorFreeSlot = 76;
    private const int GetAllocatorWithDefaultOptionsSlot = 78;
    private const int ReleaseEnvSlot = 92;
    private const int ReleaseStatusSlot = 93;
    private const int ReleaseMemoryInfoSlot = 94;
    private const int ReleaseSessionSlot = 95;
    private const int ReleaseValueSlot = 96;
    private const int ReleaseTypeInfoSlot = 98;
    private const int ReleaseTensorTypeAndShapeInfoSlot = 99;
    private const int ReleaseSessionOptionsSlot = 100;
    private const int AddSessionConfigEntrySlot = 130;

    public readonly delegate* unmanaged[Cdecl]<IntPtr, int> GetErrorCode;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*> GetErrorMessage;
    public readonly delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr> CreateEnv;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, IntPtr, IntPtr*, IntPtr> CreateSession;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr> Run;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> CreateSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetIntraOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetInterOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> SessionGetInputCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> SessionGetOutputCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr> GetTensorMutableData;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> GetStringTensorDataLength;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, nuint*, nuint, IntPtr> GetStringTensorContent;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr> GetTensorElementType;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> GetDimensionsCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr> GetDimensions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> GetTensorShapeElementCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape;
    public readonly delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr> AllocatorFree;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseEnv;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseStatus;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseSession;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr> AddSessionConfigEntry;

    public OrtApi(IntPtr table)
    {
        var slots = (IntPtr*)table;
        GetErrorCode = (delegate* unmanaged[Cdecl]<IntPtr, int>)slots[GetErrorCodeSlot];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)slots[GetErrorMessageSlot];
        CreateEnv = (delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr>)slots[CreateEnvSlot];
        CreateSession = (delegate* unmanaged[Cdecl]<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)slots[CreateSessionSlot];
        CreateSessionFromArray = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)slots[CreateSessionFromArraySlot];
        Run = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)slots[RunSlot];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)slots[CreateSessionOptionsSlot];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)slots[SetSessionGraphOptimizationLevelSlot];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)slots[SetIntraOpNumThreadsSlot];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)slots[SetInterOpNumThreadsSlot];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)slots[SessionGetInputCountSlot];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)slots[SessionGetOutputCountSlot];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)slots[SessionGetInputTypeInfoSlot];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)slots[SessionGetOutputTypeInfoSlot];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr>)slots[SessionGetInputNameSlot];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr>)slots[SessionGetOutputNameSlot];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)slots[CreateTensorWithDataAsOrtValueSlot];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr>)slots[GetTensorMutableDataSlot];
        GetStringTensorDataLength = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)slots[GetStringTensorDataLengthSlot];
        GetStringTensorContent = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, nuint*, nuint, IntPtr>)slots[GetStringTensorContentSlot];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)slots[CastTypeInfoToTensorInfoSlot];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)slots[GetOnnxTypeFromTypeInfoSlot];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)slots[GetTensorElementTypeSlot];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)slots[GetDimensionsCountSlot];
        GetDimensions = (delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr>)slots[GetDimensionsSlot];
        GetTensorShapeElementCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)slots[GetTensorShapeElementCountSlot];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)slots[GetTensorTypeAndShapeSlot];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr>)slots[CreateCpuMemoryInfoSlot];
        AllocatorFree = (delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr>)slots[AllocatorFreeSlot];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)slots[GetAllocatorWithDefaultOptionsSlot];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<IntPtr, void>)slots[ReleaseEnvSlot];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<IntPtr, void>)slots[ReleaseStatusSlot];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)slots[ReleaseMemoryInfoSlot];
        ReleaseSession = (delegate* unmanaged[Cdecl]<IntPtr, void>)slots[ReleaseSessionSlot];
        ReleaseValue = (delegate* unmanaged[Cdecl]<IntPtr, void>)slots[ReleaseValueSlot];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)slots[ReleaseTypeInfoSlot];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)slots[ReleaseTensorTypeAndShapeInfoSlot];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<IntPtr, void>)slots[ReleaseSessionOptionsSlot];
        AddSessionConfigEntry = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr>)slots[AddSessionConfigEntrySlot];
    }

    /// <summary>Throws <see cref="OnnxRuntimeException"/> for a non-null status, releasing it.</summary>
    public void Check(IntPtr status, string doing)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        var code = (OrtErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? string.Empty;
        ReleaseStatus(status);
        throw new OnnxRuntimeException(code, doing, message);
    }
}
