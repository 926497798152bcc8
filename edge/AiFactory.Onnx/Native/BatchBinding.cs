namespace AiFactory.Onnx.Native;

/// <summary>The OrtValues over a run context's pinned buffers for one batch size, plus the raw arrays Run reads.</summary>
internal sealed class BatchBinding : IDisposable
{
    private readonly OrtHandle?[] _handles;

    public BatchBinding(int inputCount, int outputCount)
    {
        _handles = new OrtHandle?[inputCount + outputCount];
        InputValues = GC.AllocateArray<nint>(inputCount, pinned: true);
        OutputValues = new nint[outputCount];
    }

    /// <summary>Pinned, so Run can take its address without fixing it each call.</summary>
    public nint[] InputValues { get; }

    /// <summary>0 where ORT allocates the output itself.</summary>
    public nint[] OutputValues { get; }

    public void SetInput(int index, OrtHandle value)
    {
        _handles[index] = value;
        InputValues[index] = value.Pointer;
    }

    public void SetOutput(int index, OrtHandle value)
    {
        _handles[InputValues.Length + index] = value;
        OutputValues[index] = value.Pointer;
    }

    public void Dispose()
    {
        foreach (var handle in _handles)
        {
            handle?.Dispose();
        }
    }
}
