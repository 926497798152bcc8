using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using AiFactory.Onnx.Native;

namespace AiFactory.Onnx;

/// <summary>
/// Pinned input/output buffers of one model for batches of up to <see cref="MaxBatch"/> rows, and the OrtValues
/// over them (created lazily, once per batch size). Not thread-safe: one per runner thread.
/// </summary>
public sealed unsafe class OnnxRunContext : IDisposable
{
    private readonly OnnxModel _model;
    private readonly OrtApi _api;
    private readonly byte[][] _inputBuffers;
    private readonly long[] _inputRowElements;
    private readonly byte[]?[] _outputBuffers;   // null: ORT allocates the output (strings, non-static shapes)
    private readonly long[] _outputRowElements;
    private readonly BatchBinding?[] _bindings;  // index = batch size
    private readonly nint[] _outputScratch;      // pinned; what Run fills
    private readonly OrtHandle?[] _runtimeOutputs;
    private int _lastBatch;
    private bool _disposed;

    internal OnnxRunContext(OnnxModel model, int maxBatch)
    {
        var operation = $"preparing model '{model.DisplayName}' for batches of up to {maxBatch}";
        if (maxBatch < 1)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"the maximum batch must be 1 or more, got {maxBatch}", operation);
        }

        _model = model;
        _api = OrtLibrary.Api;
        MaxBatch = maxBatch;
        var inputs = model.Inputs;
        _inputBuffers = new byte[inputs.Count][];
        _inputRowElements = new long[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            RunContextValidation.CheckInput(input, operation);
            _inputRowElements[i] = input.ElementsPerRow;
            _inputBuffers[i] = GC.AllocateArray<byte>(checked((int)(maxBatch * input.ElementsPerRow * TensorElementSize.Of(input.ElementType))), pinned: true);
        }

        var outputs = model.Outputs;
        _outputBuffers = new byte[outputs.Count][];
        _outputRowElements = new long[outputs.Count];
        for (var i = 0; i < outputs.Count; i++)
        {
            if (RunContextValidation.CanPreallocate(outputs[i]))
            {
                _outputRowElements[i] = outputs[i].ElementsPerRow;
                _outputBuffers[i] = GC.AllocateArray<byte>(checked((int)(maxBatch * outputs[i].ElementsPerRow * TensorElementSize.Of(outputs[i].ElementType))), pinned: true);
            }
        }

        _bindings = new BatchBinding?[maxBatch + 1];
        _outputScratch = GC.AllocateArray<nint>(outputs.Count, pinned: true);
        _runtimeOutputs = new OrtHandle?[outputs.Count];
    }

    public int MaxBatch { get; }

    /// <summary>The pinned float buffer of input <paramref name="inputIndex"/>, <paramref name="batch"/> rows long.</summary>
    public Span<float> FloatInput(int inputIndex, int batch)
    {
        var buffer = InputBuffer(inputIndex, batch, TensorElementType.Float);
        return MemoryMarshal.Cast<byte, float>(buffer.AsSpan())[..checked((int)(batch * _inputRowElements[inputIndex]))];
    }

    /// <summary>The pinned int64 buffer of input <paramref name="inputIndex"/>, <paramref name="batch"/> rows long.</summary>
    public Span<long> Int64Input(int inputIndex, int batch)
    {
        var buffer = InputBuffer(inputIndex, batch, TensorElementType.Int64);
        return MemoryMarshal.Cast<byte, long>(buffer.AsSpan())[..checked((int)(batch * _inputRowElements[inputIndex]))];
    }

    /// <summary>Runs the model once over the first <paramref name="batch"/> rows of every input buffer.</summary>
    public void Run(int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed || _model.IsDisposed, this);
        CheckBatch(batch);
        var binding = _bindings[batch] ??= CreateBinding(batch);
        ReleaseRuntimeOutputs();
        binding.OutputValues.AsSpan().CopyTo(_outputScratch);
        var session = _model.Session;
        var addedRef = false;
        session.DangerousAddRef(ref addedRef);
        try
        {
            var status = _api.Run(session.Pointer, 0,
                (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_model.InputNamePointers)),
                (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(binding.InputValues)),
                (nuint)binding.InputValues.Length,
                (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_model.OutputNamePointers)),
                (nuint)_outputScratch.Length,
                (nint*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_outputScratch)));
            if (status != 0)
            {
                _lastBatch = 0;
                ReleaseUnownedOutputs();
                throw _api.ToException(status, $"running model '{_model.DisplayName}' (batch {batch})");
            }
        }
        finally
        {
            if (addedRef)
            {
                session.DangerousRelease();
            }
        }

        for (var i = 0; i < _outputScratch.Length; i++)
        {
            if (_outputBuffers[i] is null && _outputScratch[i] != 0)
            {
                _runtimeOutputs[i] = new OrtHandle(_outputScratch[i], _api.ReleaseValue);
            }
        }

        _lastBatch = batch;
    }

    /// <summary>Output <paramref name="outputIndex"/> of the last Run as floats; valid until the next Run.</summary>
    public ReadOnlySpan<float> FloatOutput(int outputIndex) =>
        MemoryMarshal.Cast<byte, float>(OutputBytes(outputIndex, TensorElementType.Float));

    /// <summary>Output <paramref name="outputIndex"/> of the last Run as int64s; valid until the next Run.</summary>
    public ReadOnlySpan<long> Int64Output(int outputIndex) =>
        MemoryMarshal.Cast<byte, long>(OutputBytes(outputIndex, TensorElementType.Int64));

    /// <summary>String output <paramref name="outputIndex"/> of the last Run (allocates).</summary>
    public string[] StringOutput(int outputIndex)
    {
        var value = RuntimeOutput(outputIndex, TensorElementType.String);
        var operation = $"reading string output '{_model.Outputs[outputIndex].Name}' of model '{_model.DisplayName}'";
        var count = checked((int)ElementCount(value, operation));
        nuint byteLength;
        _api.Check(_api.GetStringTensorDataLength(value, &byteLength), operation);
        // At least one byte, so ORT gets a real pointer even when every string is empty.
        var bytes = new byte[Math.Max(1, (int)byteLength)];
        var offsets = new nuint[count];
        fixed (byte* b = bytes)
        fixed (nuint* o = offsets)
        {
            _api.Check(_api.GetStringTensorContent(value, b, byteLength, o, (nuint)count), operation);
        }

        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            var start = (int)offsets[i];
            var end = i + 1 < count ? (int)offsets[i + 1] : (int)byteLength;
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
        ReleaseRuntimeOutputs();
        foreach (var binding in _bindings)
        {
            binding?.Dispose();
        }
    }

    private byte[] InputBuffer(int inputIndex, int batch, TensorElementType expected)
    {
        ObjectDisposedException.ThrowIf(_disposed || _model.IsDisposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(inputIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(inputIndex, _inputBuffers.Length);
        CheckBatch(batch);
        var input = _model.Inputs[inputIndex];
        if (input.ElementType != expected)
        {
            throw new InvalidOperationException(
                $"Model '{_model.DisplayName}' input '{input.Name}' holds {input.ElementType} elements, not {expected}.");
        }

        return _inputBuffers[inputIndex];
    }

    private ReadOnlySpan<byte> OutputBytes(int outputIndex, TensorElementType expected)
    {
        CheckOutput(outputIndex, expected);
        var buffer = _outputBuffers[outputIndex];
        if (buffer is not null)
        {
            var length = checked((int)(_lastBatch * _outputRowElements[outputIndex] * TensorElementSize.Of(expected)));
            return buffer.AsSpan(0, length);
        }

        var value = RuntimeOutput(outputIndex, expected);
        var operation = $"reading output '{_model.Outputs[outputIndex].Name}' of model '{_model.DisplayName}'";
        var count = ElementCount(value, operation);
        void* data;
        _api.Check(_api.GetTensorMutableData(value, &data), operation);
        return new ReadOnlySpan<byte>(data, checked((int)(count * TensorElementSize.Of(expected))));
    }

    private nint RuntimeOutput(int outputIndex, TensorElementType expected)
    {
        CheckOutput(outputIndex, expected);
        return _runtimeOutputs[outputIndex]?.Pointer
            ?? throw new InvalidOperationException($"Model '{_model.DisplayName}' output '{_model.Outputs[outputIndex].Name}' holds no value.");
    }

    private void CheckOutput(int outputIndex, TensorElementType expected)
    {
        ObjectDisposedException.ThrowIf(_disposed || _model.IsDisposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(outputIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(outputIndex, _outputBuffers.Length);
        var output = _model.Outputs[outputIndex];
        if (output.ElementType != expected)
        {
            throw new InvalidOperationException(
                $"Model '{_model.DisplayName}' output '{output.Name}' holds {output.ElementType} elements, not {expected}.");
        }

        if (_lastBatch == 0)
        {
            throw new InvalidOperationException($"Model '{_model.DisplayName}' has no outputs yet: call Run first.");
        }
    }

    private long ElementCount(nint value, string operation)
    {
        nint shapeInfo;
        _api.Check(_api.GetTensorTypeAndShape(value, &shapeInfo), operation);
        using var shapeHandle = new OrtHandle(shapeInfo, _api.ReleaseTensorTypeAndShapeInfo);
        var (_, shape) = SessionMetadata.ReadTypeAndShape(_api, shapeInfo, operation);
        long count = 1;
        foreach (var dim in shape)
        {
            count *= dim;
        }

        return count;
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch,
                $"Model '{_model.DisplayName}': batch must be between 1 and the context's MaxBatch {MaxBatch}.");
        }
    }

    private BatchBinding CreateBinding(int batch)
    {
        var operation = $"preparing tensors of model '{_model.DisplayName}' (batch {batch})";
        var binding = new BatchBinding(_inputBuffers.Length, _outputBuffers.Length);
        try
        {
            for (var i = 0; i < _inputBuffers.Length; i++)
            {
                binding.SetInput(i, CreateTensor(_model.Inputs[i], _inputBuffers[i], batch, operation));
            }

            for (var i = 0; i < _outputBuffers.Length; i++)
            {
                if (_outputBuffers[i] is { } buffer)
                {
                    binding.SetOutput(i, CreateTensor(_model.Outputs[i], buffer, batch, operation));
                }
            }

            return binding;
        }
        catch
        {
            binding.Dispose();
            throw;
        }
    }

    private OrtHandle CreateTensor(TensorInfo info, byte[] buffer, int batch, string operation)
    {
        var shape = (long[])info.Shape.Clone();
        shape[0] = batch;
        var bytes = (nuint)(batch * info.ElementsPerRow * TensorElementSize.Of(info.ElementType));
        nint value;
        fixed (long* dims = shape)
        {
            _api.Check(_api.CreateTensorWithDataAsOrtValue(_model.MemoryInfo.Pointer,
                Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer)), bytes, dims, (nuint)shape.Length,
                (int)info.ElementType, &value), operation);
        }

        return new OrtHandle(value, _api.ReleaseValue);
    }

    private void ReleaseRuntimeOutputs()
    {
        for (var i = 0; i < _runtimeOutputs.Length; i++)
        {
            _runtimeOutputs[i]?.Dispose();
            _runtimeOutputs[i] = null;
        }
    }

    // After a failed Run, ORT may have filled some slots it allocated itself; nothing owns them yet.
    private void ReleaseUnownedOutputs()
    {
        for (var i = 0; i < _outputScratch.Length; i++)
        {
            if (_outputBuffers[i] is null && _outputScratch[i] != 0)
            {
                _api.ReleaseValue(_outputScratch[i]);
                _outputScratch[i] = 0;
            }
        }
    }
}
