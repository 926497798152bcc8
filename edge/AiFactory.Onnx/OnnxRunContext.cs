using System.Text;
using AiFactory.Onnx.Native;

namespace AiFactory.Onnx;

/// <summary>
/// Pre-allocated state for running one model: pinned input buffers and the output slots of the last Run.
/// Not thread-safe: one context per runner thread. <see cref="Run"/> allocates no managed memory.
/// </summary>
public sealed unsafe class OnnxRunContext : IDisposable
{
    // Inputs of higher rank are refused at construction; 8 covers every tabular and image model.
    private const int MaxRank = 8;

    private readonly OnnxModel _model;
    private readonly OrtApi _api;
    private readonly float[]?[] _inputs;
    private readonly long[] _rowWidths;
    private readonly long[][] _shapes;
    private readonly OrtValueArray _outputs;
    private readonly string[] _runDoing;
    private readonly string[] _outputDoing;
    private int _lastBatch;
    private bool _disposed;

    internal OnnxRunContext(OnnxModel model, int maxBatch)
    {
        _model = model;
        _api = OnnxRuntimeLibrary.Api;
        MaxBatch = maxBatch;
        var count = model.Inputs.Count;
        _inputs = new float[]?[count];
        _rowWidths = new long[count];
        _shapes = new long[count][];
        for (var i = 0; i < count; i++)
        {
            var input = model.Inputs[i];
            _rowWidths[i] = input.ElementsPerRow;
            _shapes[i] = (long[])input.Shape.Clone();
            // The first dimension must be the dynamic batch one (-1): a fixed one would fail in ORT at every other batch size.
            if (input.ElementType == TensorElementType.Float && _rowWidths[i] > 0 && input.Shape.Length is > 0 and <= MaxRank && input.Shape[0] < 0)
            {
                _inputs[i] = GC.AllocateArray<float>(checked((int)(_rowWidths[i] * maxBatch)), pinned: true);
            }
        }

        _outputs = new OrtValueArray(_api, model.Outputs.Count);
        _outputDoing = new string[model.Outputs.Count];
        for (var o = 0; o < _outputDoing.Length; o++)
        {
            _outputDoing[o] = $"reading output '{model.Outputs[o].Name}' of model '{model.DisplayName}'";
        }

        _runDoing = new string[maxBatch + 1];
        for (var b = 1; b <= maxBatch; b++)
        {
            _runDoing[b] = $"running model '{model.DisplayName}' (batch {b})";
        }
    }

    public int MaxBatch { get; }

    /// <summary>The pinned buffer of input <paramref name="inputIndex"/> for <paramref name="batch"/> rows; fill it, then <see cref="Run"/>.</summary>
    public Span<float> FloatInput(int inputIndex, int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckBatch(batch);
        var buffer = InputBuffer(inputIndex);
        return buffer.AsSpan(0, checked((int)(_rowWidths[inputIndex] * batch)));
    }

    /// <summary>One ONNX Runtime Run over the first <paramref name="batch"/> rows of every input.</summary>
    public void Run(int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckBatch(batch);
        var inputCount = _inputs.Length;
        var values = stackalloc IntPtr[Math.Max(1, inputCount)];
        var dims = stackalloc long[MaxRank];
        var created = 0;
        _outputs.ReleaseValues();
        _lastBatch = 0;
        try
        {
            for (var i = 0; i < inputCount; i++)
            {
                var buffer = InputBuffer(i);
                var shape = _shapes[i];
                dims[0] = batch;
                for (var d = 1; d < shape.Length; d++)
                {
                    dims[d] = shape[d];
                }

                var length = (nuint)(_rowWidths[i] * batch * sizeof(float));
                fixed (float* data = buffer)
                {
                    // The buffer is pinned for its lifetime (GC.AllocateArray pinned: true), so the tensor may outlive this fixed block.
                    _api.Check(_api.CreateTensorWithDataAsOrtValue(_model.Environment.CpuMemory.DangerousGetHandle(), data, length, dims, (nuint)shape.Length, (int)TensorElementType.Float, &values[i]), _runDoing[batch]);
                }

                created++;
            }

            _api.Check(
                _api.Run(_model.Session.DangerousGetHandle(), IntPtr.Zero, _model.InputNames.Pointers, values, (nuint)inputCount, _model.OutputNames.Pointers, (nuint)_outputs.Count, _outputs.Values),
                _runDoing[batch]);
            _lastBatch = batch;
        }
        finally
        {
            for (var i = 0; i < created; i++)
            {
                _api.ReleaseValue(values[i]);
            }
        }
    }

    /// <summary>Output <paramref name="outputIndex"/> of the last Run (float32), valid until the next Run.</summary>
    public ReadOnlySpan<float> FloatOutput(int outputIndex)
    {
        var (data, count) = OutputData(outputIndex, TensorElementType.Float);
        return new ReadOnlySpan<float>((void*)data, count);
    }

    /// <summary>Output <paramref name="outputIndex"/> of the last Run (int64), valid until the next Run.</summary>
    public ReadOnlySpan<long> Int64Output(int outputIndex)
    {
        var (data, count) = OutputData(outputIndex, TensorElementType.Int64);
        return new ReadOnlySpan<long>((void*)data, count);
    }

    /// <summary>A string output of the last Run. Allocates: meant for rare use (e.g. label names).</summary>
    public string[] StringOutput(int outputIndex)
    {
        var value = OutputValue(outputIndex, TensorElementType.String, out var count);
        var doing = _outputDoing[outputIndex];
        nuint total;
        _api.Check(_api.GetStringTensorDataLength(value, &total), doing);
        var bytes = new byte[(int)total];
        var offsets = new nuint[Math.Max(1, count)];
        fixed (byte* b = bytes)
        fixed (nuint* o = offsets)
        {
            _api.Check(_api.GetStringTensorContent(value, b, total, o, (nuint)count), doing);
        }

        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            var start = (int)offsets[i];
            var end = i + 1 < count ? (int)offsets[i + 1] : bytes.Length;
            result[i] = Encoding.UTF8.GetString(bytes, start, end - start);
        }

        return result;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _outputs.Dispose();
    }

    private float[] InputBuffer(int inputIndex)
    {
        if ((uint)inputIndex >= (uint)_inputs.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(inputIndex), inputIndex, $"model '{_model.DisplayName}' has {_inputs.Length} input(s)");
        }

        return _inputs[inputIndex] ?? throw new OnnxRuntimeException(
            OrtErrorCode.InvalidArgument,
            $"preparing input '{_model.Inputs[inputIndex].Name}' of model '{_model.DisplayName}'",
            $"this binding feeds float32 inputs shaped [batch (dynamic), static dims...]; the graph declares {_model.Inputs[inputIndex].ElementType} [{string.Join(',', _model.Inputs[inputIndex].Shape)}]");
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"model '{_model.DisplayName}': batch must be 1..{MaxBatch} (the run context's maximum)");
        }
    }

    private (IntPtr Data, int Count) OutputData(int outputIndex, TensorElementType expected)
    {
        var value = OutputValue(outputIndex, expected, out var count);
        void* data;
        _api.Check(_api.GetTensorMutableData(value, &data), _outputDoing[outputIndex]);
        return ((IntPtr)data, count);
    }

    private IntPtr OutputValue(int outputIndex, TensorElementType expected, out int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)outputIndex >= (uint)_outputs.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(outputIndex), outputIndex, $"model '{_model.DisplayName}' has {_outputs.Count} output(s)");
        }

        var info = _model.Outputs[outputIndex];
        if (info.ElementType != expected)
        {
            throw new InvalidOperationException($"model '{_model.DisplayName}': output '{info.Name}' is {info.ElementType}, not {expected}");
        }

        var value = _outputs.Values[outputIndex];
        if (_lastBatch == 0 || value == IntPtr.Zero)
        {
            throw new InvalidOperationException($"model '{_model.DisplayName}': no output yet; call Run first");
        }

        var doing = _outputDoing[outputIndex];
        IntPtr shapeInfo;
        _api.Check(_api.GetTensorTypeAndShape(value, &shapeInfo), doing);
        nuint elements;
        try
        {
            _api.Check(_api.GetTensorShapeElementCount(shapeInfo, &elements), doing);
        }
        finally
        {
            _api.ReleaseTensorTypeAndShapeInfo(shapeInfo);
        }

        count = checked((int)elements);
        return value;
    }
}
