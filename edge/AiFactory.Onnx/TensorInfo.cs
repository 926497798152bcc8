namespace AiFactory.Onnx;

/// <summary>A graph input or output: its name, element type and shape (-1 for a dynamic dimension).</summary>
public sealed record TensorInfo(string Name, TensorElementType ElementType, long[] Shape)
{
    /// <summary>Elements per batch row: the product of every dimension after the first; 1 for a rank-1 tensor; -1 if any is dynamic.</summary>
    public long ElementsPerRow
    {
        get
        {
            long product = 1;
            for (var i = 1; i < Shape.Length; i++)
            {
                if (Shape[i] < 0)
                {
                    return -1;
                }

                product *= Shape[i];
            }

            return product;
        }
    }

    public override string ToString() => $"{Name} {ElementType} [{string.Join(", ", Shape)}]";
}
