using AiFactory.Onnx;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AiFactory.Edge.Core.Batching;

/// <summary>
/// Runs batches through ONNX Runtime: the frames fill the named float input; each result is the named
/// outputs' rows side by side (float outputs as they are, int64 outputs such as a class label as floats).
/// </summary>
public sealed class OnnxBatchExecutor : IBatchExecutor, IDisposable
{
    private readonly OnnxRunContext _context;
    private readonly int _inputIndex;
    private readonly int[] _outputIndices;
    private readonly int[] _outputWidths;
    private readonly bool[] _outputIsInt64;

    public OnnxBatchExecutor(OnnxModel model, string inputName, IReadOnlyList<string> resultOutputNames, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(resultOutputNames);
        ModelName = model.DisplayName;
        MaxBatchSize = maxBatchSize;
        _inputIndex = IndexOf(model.InputNames, inputName, "input", ModelName);
        var input = model.InputMetadata[inputName];
        if (!input.IsTensor || input.ElementDataType != TensorElementType.Float || input.ElementsPerRow() <= 0)
        {
            throw new ArgumentException($"model '{ModelName}': input '{inputName}' must be float32 shaped [batch, static dims...]; the graph declares {input.Describe()}");
        }

        FrameLength = (int)input.ElementsPerRow();
        _outputIndices = new int[resultOutputNames.Count];
        _outputWidths = new int[resultOutputNames.Count];
        _outputIsInt64 = new bool[resultOutputNames.Count];
        for (var i = 0; i < resultOutputNames.Count; i++)
        {
            var index = IndexOf(model.OutputNames, resultOutputNames[i], "output", ModelName);
            var output = model.OutputMetadata[resultOutputNames[i]];
            if (!output.IsTensor || output.ElementDataType is not (TensorElementType.Float or TensorElementType.Int64) || output.ElementsPerRow() <= 0)
            {
                throw new ArgumentException($"model '{ModelName}': output '{resultOutputNames[i]}' must be float32 or int64 shaped [batch, static dims...]; the graph declares {output.Describe()}");
            }

            _outputIndices[i] = index;
            _outputWidths[i] = (int)output.ElementsPerRow();
            _outputIsInt64[i] = output.ElementDataType == TensorElementType.Int64;
            ResultLength += _outputWidths[i];
        }

        _context = model.CreateRunContext(maxBatchSize);
    }

    public string ModelName { get; }

    public int FrameLength { get; }

    public int ResultLength { get; }

    public int MaxBatchSize { get; }

    public void Execute(ReadOnlySpan<float> frames, int batch, Span<float> results)
    {
        frames.CopyTo(_context.FloatInput(_inputIndex, batch));
        _context.Run(batch);
        var offset = 0;
        for (var o = 0; o < _outputIndices.Length; o++)
        {
            var width = _outputWidths[o];
            if (_outputIsInt64[o])
            {
                var values = _context.Int64Output(_outputIndices[o]);
                CheckLength(values.Length, batch * width, o);
                for (var row = 0; row < batch; row++)
                {
                    for (var k = 0; k < width; k++)
                    {
                        results[(row * ResultLength) + offset + k] = values[(row * width) + k];
                    }
                }
            }
            else
            {
                var values = _context.FloatOutput(_outputIndices[o]);
                CheckLength(values.Length, batch * width, o);
                if (width == ResultLength)
                {
                    // The only output: its rows are the results as they are.
                    values.CopyTo(results);
                    break;
                }

                for (var row = 0; row < batch; row++)
                {
                    values.Slice(row * width, width).CopyTo(results.Slice((row * ResultLength) + offset, width));
                }
            }

            offset += width;
        }
    }

    public void Dispose() => _context.Dispose();

    private static int IndexOf(IReadOnlyList<string> names, string name, string kind, string modelName)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"model '{modelName}': the graph has no {kind} '{name}' (it has: {string.Join(", ", names)})");
    }

    private void CheckLength(int actual, int expected, int output)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"model '{ModelName}': output #{_outputIndices[output]} returned {actual} values for the batch, expected {expected}");
        }
    }
}
