namespace AiFactory.Onnx;

/// <summary>Name, element type and shape of a model input or output; -1 marks a dynamic dimension.</summary>
/// <remarks>A non-tensor value (a sequence or map) has <see cref="TensorElementType.Undefined"/> and an empty shape.</remarks>
public sealed record TensorInfo(string Name, TensorElementType ElementType, long[] Shape)
{
    /// <summary>Elements per batch row: the product of every dimension after the first (1 when there are none).</summary>
    public long ElementsPerRow
    {
        get
        {
            long product = 1;
            for (var i = 1; i < Shape.Length; i++)
            {
                product *= Shape[i];
            }

            return product;
        }
    }
}
