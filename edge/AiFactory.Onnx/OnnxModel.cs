using Microsoft.ML.OnnxRuntime;

namespace AiFactory.Onnx;

/// <summary>
/// A loaded ONNX graph: ONNX Runtime's <see cref="InferenceSession"/> under the name every error carries.
/// Thread-safe; run it through <see cref="CreateRunContext"/>.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private bool _disposed;

    private OnnxModel(InferenceSession session, string displayName)
    {
        _session = session;
        DisplayName = displayName;
    }

    public string DisplayName { get; }

    /// <summary>The graph's inputs in order.</summary>
    public IReadOnlyList<string> InputNames => _session.InputNames;

    /// <summary>The graph's outputs in order.</summary>
    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>Each input's element type and shape (-1 for a dynamic dimension), as the session reads them from the graph.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => _session.InputMetadata;

    /// <summary>Each output's element type and shape (-1 for a dynamic dimension), as the session reads them from the graph.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => _session.OutputMetadata;

    internal InferenceSession Session
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

        try
        {
            using var sessionOptions = options.ToRuntime();
            return new OnnxModel(new InferenceSession(bytes, sessionOptions), displayName);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException ex)
        {
            throw OnnxRuntimeException.From(ex, doing);
        }
    }
}
