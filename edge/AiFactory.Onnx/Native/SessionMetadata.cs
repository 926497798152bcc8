using System.Runtime.InteropServices;

namespace AiFactory.Onnx.Native;

/// <summary>Reads a session's input and output names, element types and shapes.</summary>
internal static unsafe class SessionMetadata
{
    public static TensorInfo[] ReadInputs(OrtApi api, nint session, string operation)
    {
        nuint count;
        api.Check(api.SessionGetInputCount(session, &count), operation);
        var result = new TensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            api.Check(api.SessionGetInputName(session, i, DefaultAllocator(api, operation), &name), operation);
            var managedName = TakeString(api, name, operation);
            nint typeInfo;
            api.Check(api.SessionGetInputTypeInfo(session, i, &typeInfo), operation);
            result[(int)i] = Describe(api, managedName, typeInfo, operation);
        }

        return result;
    }

    public static TensorInfo[] ReadOutputs(OrtApi api, nint session, string operation)
    {
        nuint count;
        api.Check(api.SessionGetOutputCount(session, &count), operation);
        var result = new TensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            api.Check(api.SessionGetOutputName(session, i, DefaultAllocator(api, operation), &name), operation);
            var managedName = TakeString(api, name, operation);
            nint typeInfo;
            api.Check(api.SessionGetOutputTypeInfo(session, i, &typeInfo), operation);
            result[(int)i] = Describe(api, managedName, typeInfo, operation);
        }

        return result;
    }

    /// <summary>Reads element type and dims of a tensor type-and-shape info (not released here).</summary>
    public static (TensorElementType Type, long[] Shape) ReadTypeAndShape(OrtApi api, nint tensorInfo, string operation)
    {
        int elementType;
        api.Check(api.GetTensorElementType(tensorInfo, &elementType), operation);
        nuint rank;
        api.Check(api.GetDimensionsCount(tensorInfo, &rank), operation);
        var shape = new long[(int)rank];
        fixed (long* dims = shape)
        {
            api.Check(api.GetDimensions(tensorInfo, dims, rank), operation);
        }

        return ((TensorElementType)elementType, shape);
    }

    private static TensorInfo Describe(OrtApi api, string name, nint typeInfo, string operation)
    {
        using var typeInfoHandle = new OrtHandle(typeInfo, api.ReleaseTypeInfo);
        nint tensorInfo;
        api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), operation);
        if (tensorInfo == 0)
        {
            // A sequence or map (e.g. a ZipMap output): described, but not readable through this binding.
            return new TensorInfo(name, TensorElementType.Undefined, []);
        }

        var (type, shape) = ReadTypeAndShape(api, tensorInfo, operation);
        return new TensorInfo(name, type, shape);
    }

    private static nint DefaultAllocator(OrtApi api, string operation)
    {
        nint allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator), operation);
        return allocator;
    }

    private static string TakeString(OrtApi api, byte* value, string operation)
    {
        var text = Marshal.PtrToStringUTF8((nint)value) ?? string.Empty;
        api.Check(api.AllocatorFree(DefaultAllocator(api, operation), value), operation);
        return text;
    }
}
