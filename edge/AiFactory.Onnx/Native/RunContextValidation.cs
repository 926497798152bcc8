namespace AiFactory.Onnx.Native;

internal static class RunContextValidation
{
    /// <summary>Every input must be a fixed-size tensor whose first dimension is the dynamic batch dimension.</summary>
    public static void CheckInput(TensorInfo input, string operation)
    {
        if (TensorElementSize.Of(input.ElementType) == 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"input '{input.Name}' holds {input.ElementType} elements; only numeric tensor inputs can be batched", operation);
        }

        if (input.Shape.Length == 0 || input.Shape[0] != -1)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"input '{input.Name}' has shape [{string.Join(',', input.Shape)}]; its first dimension must be the dynamic batch dimension",
                operation);
        }

        for (var d = 1; d < input.Shape.Length; d++)
        {
            if (input.Shape[d] <= 0)
            {
                throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                    $"input '{input.Name}' has shape [{string.Join(',', input.Shape)}]; every dimension after the batch dimension must be static",
                    operation);
            }
        }
    }

    /// <summary>An output gets a pinned buffer when its size per row is known; otherwise ORT allocates it each Run.</summary>
    public static bool CanPreallocate(TensorInfo output)
    {
        if (TensorElementSize.Of(output.ElementType) == 0 || output.Shape.Length == 0 || output.Shape[0] != -1)
        {
            return false;
        }

        for (var d = 1; d < output.Shape.Length; d++)
        {
            if (output.Shape[d] <= 0)
            {
                return false;
            }
        }

        return true;
    }
}
