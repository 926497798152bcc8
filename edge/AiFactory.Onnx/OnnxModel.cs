using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AiFactory.Onnx.Native;

namespace AiFactory.Onnx;

/// <summary>A loaded model: one ONNX Runtime session, its input/output descriptions and pre-marshalled names.</summary>
public sealed unsafe class OnnxModel : IDisposable
{
    // Pinned UTF-8 names and the pointer arrays ORT's Run reads them through; kept alive by this object.
    private readonly byte[][] _nameBytes;

    private OnnxModel(string displayName, OrtHandle session, OrtHandle memoryInfo,
        TensorInfo[] inputs, TensorInfo[] outputs)
    {
        DisplayName = displayName;
        Session = session;
        MemoryInfo = memoryInfo;
        Inputs = inputs;
        Outputs = outputs;
        _nameBytes = new byte[inputs.Length + outputs.Length][];
        InputNamePointers = GC.AllocateArray<nint>(inputs.Length, pinned: true);
        OutputNamePointers = GC.AllocateArray<nint>(outputs.Length, pinned: true);
        for (var i = 0; i < inputs.Length; i++)
        {
            _nameBytes[i] = Utf8.EncodePinned(inputs[i].Name);
            InputNamePointers[i] = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_nameBytes[i]));
        }

        for (var i = 0; i < outputs.Length; i++)
        {
            var bytes = _nameBytes[inputs.Length + i] = Utf8.EncodePinned(outputs[i].Name);
            OutputNamePointers[i] = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(bytes));
        }
    }

    public string DisplayName { get; }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    internal OrtHandle Session { get; }

    internal OrtHandle MemoryInfo { get; }

    internal nint[] InputNamePointers { get; }

    internal nint[] OutputNamePointers { get; }

    internal bool IsDisposed => Session.IsClosed;

    public static OnnxModel Load(OnnxEnvironment env, string path, OnnxSessionOptions options, string displayName)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(displayName);
        var operation = $"loading model '{displayName}' from '{path}'";
        if (!File.Exists(path))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile, "the file does not exist", operation);
        }

        // ORTCHAR_T is wchar_t on Windows and char (UTF-8) elsewhere.
        var fullPath = Path.GetFullPath(path);
        var pathBytes = OperatingSystem.IsWindows()
            ? MemoryMarshal.AsBytes((fullPath + "\0").AsSpan()).ToArray()
            : Utf8.Encode(fullPath);
        return Create(env, options, displayName, operation, (api, optionsHandle, session) =>
        {
            fixed (byte* p = pathBytes)
            {
                return api.CreateSession(env.Handle.Pointer, p, optionsHandle, session);
            }
        });
    }

    public static OnnxModel Load(OnnxEnvironment env, byte[] modelBytes, OnnxSessionOptions options, string displayName)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(modelBytes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(displayName);
        var operation = $"loading model '{displayName}' from {modelBytes.Length} bytes";
        return Create(env, options, displayName, operation, (api, optionsHandle, session) =>
        {
            fixed (byte* p = modelBytes)
            {
                return api.CreateSessionFromArray(env.Handle.Pointer, p, (nuint)modelBytes.Length, optionsHandle, session);
            }
        });
    }

    /// <summary>Pre-allocates pinned input and output buffers for batches of up to <paramref name="maxBatch"/> rows.</summary>
    public OnnxRunContext CreateRunContext(int maxBatch)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return new OnnxRunContext(this, maxBatch);
    }

    public void Dispose()
    {
        Session.Dispose();
        MemoryInfo.Dispose();
    }

    private delegate nint SessionFactory(OrtApi api, nint options, nint* session);

    private static OnnxModel Create(OnnxEnvironment env, OnnxSessionOptions options, string displayName,
        string operation, SessionFactory createSession)
    {
        ObjectDisposedException.ThrowIf(env.Handle.IsClosed, env);
        var api = OrtLibrary.Api;
        using var sessionOptions = SessionOptionsBuilder.Build(api, options, operation);
        nint session;
        api.Check(createSession(api, sessionOptions.Pointer, &session), operation);
        var sessionHandle = new OrtHandle(session, api.ReleaseSession);
        try
        {
            nint memoryInfo;
            api.Check(api.CreateCpuMemoryInfo(1 /* OrtArenaAllocator */, 0 /* OrtMemTypeDefault */, &memoryInfo), operation);
            var memoryInfoHandle = new OrtHandle(memoryInfo, api.ReleaseMemoryInfo);
            var inputs = SessionMetadata.ReadInputs(api, session, operation);
            var outputs = SessionMetadata.ReadOutputs(api, session, operation);
            return new OnnxModel(displayName, sessionHandle, memoryInfoHandle, inputs, outputs);
        }
        catch
        {
            sessionHandle.Dispose();
            throw;
        }
    }
}
