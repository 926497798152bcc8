using System.Runtime.InteropServices;
using System.Text;
using AiFactory.Onnx.Native;

namespace AiFactory.Onnx;

/// <summary>A loaded ONNX graph (an ONNX Runtime session). Thread-safe; run it through <see cref="CreateRunContext"/>.</summary>
public sealed unsafe class OnnxModel : IDisposable
{
    private readonly OrtHandle _session;
    private bool _disposed;

    private OnnxModel(OnnxEnvironment environment, OrtHandle session, string displayName, IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs)
    {
        Environment = environment;
        _session = session;
        DisplayName = displayName;
        Inputs = inputs;
        Outputs = outputs;
        InputNames = new NativeUtf8Strings(Names(inputs));
        OutputNames = new NativeUtf8Strings(Names(outputs));
    }

    public string DisplayName { get; }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    internal OnnxEnvironment Environment { get; }

    internal NativeUtf8Strings InputNames { get; }

    internal NativeUtf8Strings OutputNames { get; }

    internal OrtHandle Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _session;
        }
    }

    public static OnnxModel Load(OnnxEnvironment environment, string path, OnnxSessionOptions options, string displayName)
    {
        var doing = $"loading model '{displayName}' from '{path}'";
        if (!File.Exists(path))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, doing, "the file does not exist");
        }

        // Reading the bytes ourselves gives one code path and the same messages on every platform.
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, doing, ex.Message);
        }

        return Create(environment, bytes, options, displayName, doing);
    }

    public static OnnxModel Load(OnnxEnvironment environment, byte[] modelBytes, OnnxSessionOptions options, string displayName)
        => Create(environment, modelBytes, options, displayName, $"loading model '{displayName}'");

    /// <summary>Pre-allocates buffers for up to <paramref name="maxBatch"/> rows. A context serves one thread at a time.</summary>
    public OnnxRunContext CreateRunContext(int maxBatch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        return new OnnxRunContext(this, maxBatch);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _session.Dispose();
        InputNames.Dispose();
        OutputNames.Dispose();
    }

    private static OnnxModel Create(OnnxEnvironment environment, byte[] bytes, OnnxSessionOptions options, string displayName, string doing)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(options);
        if (bytes.Length == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf, doing, "the model is empty (0 bytes)");
        }

        var api = OnnxRuntimeLibrary.Api;
        using var sessionOptions = CreateSessionOptions(api, options, doing);
        IntPtr session;
        fixed (byte* data = bytes)
        {
            api.Check(api.CreateSessionFromArray(environment.Handle.DangerousGetHandle(), data, (nuint)bytes.Length, sessionOptions.DangerousGetHandle(), &session), doing);
        }

        var sessionHandle = new OrtHandle(session, api.ReleaseSession);
        try
        {
            var inputs = Describe(api, session, isInput: true, doing);
            var outputs = Describe(api, session, isInput: false, doing);
            return new OnnxModel(environment, sessionHandle, displayName, inputs, outputs);
        }
        catch
        {
            sessionHandle.Dispose();
            throw;
        }
    }

    private static OrtHandle CreateSessionOptions(OrtApi api, OnnxSessionOptions options, string doing)
    {
        IntPtr raw;
        api.Check(api.CreateSessionOptions(&raw), doing);
        var handle = new OrtHandle(raw, api.ReleaseSessionOptions);
        try
        {
            api.Check(api.SetIntraOpNumThreads(raw, options.IntraOpThreads), doing + " (intra-op threads)");
            api.Check(api.SetInterOpNumThreads(raw, options.InterOpThreads), doing + " (inter-op threads)");
            api.Check(api.SetSessionGraphOptimizationLevel(raw, (int)options.OptimizationLevel), doing + " (graph optimisation level)");
            var spin = options.AllowSpinning ? "1" : "0";
            AddConfig(api, raw, "session.intra_op.allow_spinning", spin, doing);
            AddConfig(api, raw, "session.inter_op.allow_spinning", spin, doing);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AddConfig(OrtApi api, IntPtr options, string key, string value, string doing)
    {
        var k = Encoding.UTF8.GetBytes(key + "\0");
        var v = Encoding.UTF8.GetBytes(value + "\0");
        fixed (byte* kp = k)
        fixed (byte* vp = v)
        {
            api.Check(api.AddSessionConfigEntry(options, kp, vp), $"{doing} (setting {key})");
        }
    }

    private static List<TensorInfo> Describe(OrtApi api, IntPtr session, bool isInput, string doing)
    {
        nuint count;
        api.Check(isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count), doing);
        IntPtr allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator), doing);
        var result = new List<TensorInfo>((int)count);
        for (nuint i = 0; i < count; i++)
        {
            byte* namePtr;
            api.Check(isInput ? api.SessionGetInputName(session, i, allocator, &namePtr) : api.SessionGetOutputName(session, i, allocator, &namePtr), doing);
            var name = Marshal.PtrToStringUTF8((IntPtr)namePtr) ?? string.Empty;
            api.Check(api.AllocatorFree(allocator, namePtr), doing);

            IntPtr typeInfo;
            api.Check(isInput ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo), doing);
            using var typeInfoHandle = new OrtHandle(typeInfo, api.ReleaseTypeInfo);
            result.Add(DescribeTensor(api, typeInfo, name, doing));
        }

        return result;
    }

    private static TensorInfo DescribeTensor(OrtApi api, IntPtr typeInfo, string name, string doing)
    {
        int onnxType;
        api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), doing);
        const int OnnxTypeTensor = 1;
        if (onnxType != OnnxTypeTensor)
        {
            // Sequences and maps (e.g. a ZipMap output) have no tensor shape; they cannot be bound by this binding.
            return new TensorInfo(name, TensorElementType.Undefined, []);
        }

        IntPtr tensorInfo;
        // The cast returns a view owned by typeInfo: it is not released separately.
        api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo), doing);
        int elementType;
        api.Check(api.GetTensorElementType(tensorInfo, &elementType), doing);
        nuint rank;
        api.Check(api.GetDimensionsCount(tensorInfo, &rank), doing);
        var dims = new long[(int)rank];
        fixed (long* d = dims)
        {
            api.Check(api.GetDimensions(tensorInfo, d, rank), doing);
        }

        return new TensorInfo(name, (TensorElementType)elementType, dims);
    }

    private static string[] Names(IReadOnlyList<TensorInfo> tensors)
    {
        var names = new string[tensors.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = tensors[i].Name;
        }

        return names;
    }
}
