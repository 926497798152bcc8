using Microsoft.ML.OnnxRuntime;

namespace AiFactory.Onnx;

/// <summary>What the edge reads from a graph input's or output's metadata: its row width and a description for messages.</summary>
public static class TensorShape
{
    /// <summary>Elements per batch row: the product of every dimension after the first; 1 for a rank-1 tensor; -1 if any is dynamic or the value is not a tensor.</summary>
    public static long ElementsPerRow(this NodeMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.IsTensor)
        {
            return -1;
        }

        long product = 1;
        var dims = metadata.Dimensions;
        for (var i = 1; i < dims.Length; i++)
        {
            if (dims[i] < 0)
            {
                return -1;
            }

            product *= dims[i];
        }

        return product;
    }

    /// <summary>Whether the first dimension is the dynamic batch one (-1), as batching needs.</summary>
    public static bool HasDynamicBatch(this NodeMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.IsTensor && metadata.Dimensions is [< 0, ..];
    }

    /// <summary>"Float [-1,3]"; a sequence or map says what it is.</summary>
    public static string Describe(this NodeMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.IsTensor
            ? $"{metadata.ElementDataType} [{string.Join(',', metadata.Dimensions)}]"
            : metadata.OnnxValueType.ToString();
    }
}
