using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AiFactory.Onnx;

/// <summary>
/// Pre-allocated state for running one model: pinned input and output buffers wrapped as <see cref="OrtValue"/>s, one
/// <see cref="OrtIoBinding"/> per batch size (made on its first use), and one reused <see cref="RunOptions"/>.
/// <see cref="Run"/> is <see cref="InferenceSession.RunWithBinding"/> on that binding: ONNX Runtime reads the inputs
/// from and writes float and int64 outputs into our buffers, and no managed memory is allocated.
/// Not thread-safe: one context per runner thread.
/// </summary>
public sealed class OnnxRunContext : IDisposable
{
    private readonly OnnxModel _model;
    private readonly string[] _inputNames;
    private readonly NodeMetadata[] _inputInfo;
    private readonly float[]?[] _inputs;
    private readonly int[] _inputWidths;
    private readonly string[] _outputNames;
    private readonly NodeMetadata[] _outputInfo;
    private readonly float[]?[] _floatOutputs;
    private readonly long[]?[] _int64Outputs;
    private readonly int[] _outputWidths;
    private readonly OrtIoBinding?[] _bindings;
    private readonly List<OrtValue> _values = [];
    private readonly RunOptions _runOptions = new();
    private readonly string[] _runDoing;
    private IDisposableReadOnlyCollection<OrtValue>? _deviceOutputs;
    private int _lastBatch;
    private bool _disposed;

    internal OnnxRunContext(OnnxModel model, int maxBatch)
    {
        _model = model;
        MaxBatch = maxBatch;
        _inputNames = [.. model.InputNames];
        _inputInfo = new NodeMetadata[_inputNames.Length];
        _inputs = new float[]?[_inputNames.Length];
        _inputWidths = new int[_inputNames.Length];
        for (var i = 0; i < _inputNames.Length; i++)
        {
            var info = _inputInfo[i] = model.InputMetadata[_inputNames[i]];
            _inputWidths[i] = checked((int)info.ElementsPerRow());
            // The first dimension must be the dynamic batch one (-1): a fixed one would fail in ORT at every other batch size.
            if (info.ElementDataType == TensorElementType.Float && _inputWidths[i] > 0 && info.HasDynamicBatch())
            {
                _inputs[i] = GC.AllocateArray<float>(checked(_inputWidths[i] * maxBatch), pinned: true);
            }
        }

        _outputNames = [.. model.OutputNames];
        _outputInfo = new NodeMetadata[_outputNames.Length];
        _floatOutputs = new float[]?[_outputNames.Length];
        _int64Outputs = new long[]?[_outputNames.Length];
        _outputWidths = new int[_outputNames.Length];
        for (var o = 0; o < _outputNames.Length; o++)
        {
            var info = _outputInfo[o] = model.OutputMetadata[_outputNames[o]];
            _outputWidths[o] = checked((int)info.ElementsPerRow());
            if (_outputWidths[o] > 0 && info.HasDynamicBatch())
            {
                // Anything else (strings, sequences, dynamic row shapes) ONNX Runtime allocates natively at each Run.
                if (info.ElementDataType == TensorElementType.Float)
                {
                    _floatOutputs[o] = GC.AllocateArray<float>(checked(_outputWidths[o] * maxBatch), pinned: true);
                }
                else if (info.ElementDataType == TensorElementType.Int64)
                {
                    _int64Outputs[o] = GC.AllocateArray<long>(checked(_outputWidths[o] * maxBatch), pinned: true);
                }
            }
        }

        _bindings = new OrtIoBinding?[maxBatch + 1];
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
        return InputBuffer(inputIndex).AsSpan(0, _inputWidths[inputIndex] * batch);
    }

    /// <summary>One ONNX Runtime Run over the first <paramref name="batch"/> rows of every input.</summary>
    public void Run(int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _model.Session;
        CheckBatch(batch);
        _deviceOutputs?.Dispose();
        _deviceOutputs = null;
        _lastBatch = 0;
        try
        {
            session.RunWithBinding(_runOptions, _bindings[batch] ?? Bind(session, batch));
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException ex)
        {
            throw OnnxRuntimeException.From(ex, _runDoing[batch]);
        }

        _lastBatch = batch;
    }

    /// <summary>Output <paramref name="outputIndex"/> of the last Run (float32), valid until the next Run.</summary>
    public ReadOnlySpan<float> FloatOutput(int outputIndex)
    {
        CheckOutput(outputIndex, TensorElementType.Float);
        return _floatOutputs[outputIndex] is { } buffer
            ? buffer.AsSpan(0, _outputWidths[outputIndex] * _lastBatch)
            : DeviceOutput(outputIndex).GetTensorDataAsSpan<float>();
    }

    /// <summary>Output <paramref name="outputIndex"/> of the last Run (int64), valid until the next Run.</summary>
    public ReadOnlySpan<long> Int64Output(int outputIndex)
    {
        CheckOutput(outputIndex, TensorElementType.Int64);
        return _int64Outputs[outputIndex] is { } buffer
            ? buffer.AsSpan(0, _outputWidths[outputIndex] * _lastBatch)
            : DeviceOutput(outputIndex).GetTensorDataAsSpan<long>();
    }

    /// <summary>A string output of the last Run. Allocates: meant for rare use (e.g. label names).</summary>
    public string[] StringOutput(int outputIndex)
    {
        CheckOutput(outputIndex, TensorElementType.String);
        return DeviceOutput(outputIndex).GetStringTensorAsArray();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _deviceOutputs?.Dispose();
        foreach (var binding in _bindings)
        {
            binding?.Dispose();
        }

        foreach (var value in _values)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
    }

    /// <summary>The binding for <paramref name="batch"/> rows: every input and float/int64 output as an OrtValue over the first rows of its pinned buffer.</summary>
    private OrtIoBinding Bind(InferenceSession session, int batch)
    {
        var binding = session.CreateIoBinding();
        try
        {
            for (var i = 0; i < _inputNames.Length; i++)
            {
                binding.BindInput(_inputNames[i], Wrap(InputBuffer(i), _inputInfo[i], batch));
            }

            for (var o = 0; o < _outputNames.Length; o++)
            {
                if (_floatOutputs[o] is { } floats)
                {
                    binding.BindOutput(_outputNames[o], Wrap(floats, _outputInfo[o], batch));
                }
                else if (_int64Outputs[o] is { } longs)
                {
                    binding.BindOutput(_outputNames[o], Wrap(longs, _outputInfo[o], batch));
                }
                else
                {
                    binding.BindOutputToDevice(_outputNames[o], OrtMemoryInfo.DefaultInstance);
                }
            }
        }
        catch
        {
            binding.Dispose();
            throw;
        }

        return _bindings[batch] = binding;
    }

    private OrtValue Wrap<T>(T[] buffer, NodeMetadata info, int batch)
        where T : unmanaged
    {
        var shape = new long[info.Dimensions.Length];
        shape[0] = batch;
        for (var d = 1; d < shape.Length; d++)
        {
            shape[d] = info.Dimensions[d];
        }

        // The buffer is pinned for its lifetime (GC.AllocateArray pinned: true), so the value may keep pointing at it.
        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, checked((int)(info.ElementsPerRow() * batch))), shape);
        _values.Add(value);
        return value;
    }

    private OrtValue DeviceOutput(int outputIndex)
    {
        _deviceOutputs ??= _bindings[_lastBatch]!.GetOutputValues();
        return _deviceOutputs[outputIndex];
    }

    private float[] InputBuffer(int inputIndex)
    {
        if ((uint)inputIndex >= (uint)_inputs.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(inputIndex), inputIndex, $"model '{_model.DisplayName}' has {_inputs.Length} input(s)");
        }

        return _inputs[inputIndex] ?? throw new OnnxRuntimeException(
            OrtErrorCode.InvalidArgument,
            $"preparing input '{_inputNames[inputIndex]}' of model '{_model.DisplayName}'",
            $"this binding feeds float32 inputs shaped [batch (dynamic), static dims...]; the graph declares {_inputInfo[inputIndex].Describe()}");
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"model '{_model.DisplayName}': batch must be 1..{MaxBatch} (the run context's maximum)");
        }
    }

    private void CheckOutput(int outputIndex, TensorElementType expected)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)outputIndex >= (uint)_outputNames.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(outputIndex), outputIndex, $"model '{_model.DisplayName}' has {_outputNames.Length} output(s)");
        }

        var info = _outputInfo[outputIndex];
        if (info.ElementDataType != expected)
        {
            throw new InvalidOperationException($"model '{_model.DisplayName}': output '{_outputNames[outputIndex]}' is {info.ElementDataType}, not {expected}");
        }

        if (_lastBatch == 0)
        {
            throw new InvalidOperationException($"model '{_model.DisplayName}': no output yet; call Run first");
        }
    }
}
