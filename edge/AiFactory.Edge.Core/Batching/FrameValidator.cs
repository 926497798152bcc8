using System.Numerics;
using System.Runtime.InteropServices;

namespace AiFactory.Edge.Core.Batching;

/// <summary>Checks frames before they queue (length, result room, NaN/Inf policy) and applies the replace policy to copies.</summary>
internal sealed class FrameValidator(string model, int frameLength, int resultLength, NonFinitePolicy policy, BatcherMetrics metrics)
{
    /// <summary>Null when all <paramref name="count"/> frames may queue; else the first problem, counted once.</summary>
    public FrameRejectedException? Check(ReadOnlySpan<float> frames, int count, int resultRoom)
    {
        if (frames.Length != count * frameLength)
        {
            return Reject(RejectionReason.WrongLength, count == 1
                ? $"frame has {frames.Length} values, expected {frameLength}"
                : $"{count} frames hold {frames.Length} values, expected {count} × {frameLength} = {count * frameLength}");
        }

        if (resultRoom < count * resultLength)
        {
            return Reject(RejectionReason.ResultTooSmall, count == 1
                ? $"result buffer holds {resultRoom} values, the model writes {resultLength}"
                : $"result buffer holds {resultRoom} values, {count} frames need {count} × {resultLength} = {count * resultLength}");
        }

        if (policy == NonFinitePolicy.Reject)
        {
            var i = FirstNonFinite(frames);
            if (i >= 0)
            {
                return Reject(RejectionReason.NonFinite, count == 1
                    ? $"frame value {i} is {frames[i]} (NaN and infinities are rejected)"
                    : $"frame {i / frameLength} of {count}: value {i % frameLength} is {frames[i]} (NaN and infinities are rejected; no frame of this submit was queued)");
            }
        }

        return null;
    }

    /// <summary>Copies frames and, under <see cref="NonFinitePolicy.ReplaceWithZero"/>, zeroes non-finite values in the copy.</summary>
    public void Copy(ReadOnlySpan<float> source, Span<float> target)
    {
        source.CopyTo(target);
        if (policy != NonFinitePolicy.ReplaceWithZero)
        {
            return;
        }

        var first = FirstNonFinite(target);
        if (first < 0)
        {
            return;
        }

        for (var i = first; i < target.Length; i++)
        {
            if (!float.IsFinite(target[i]))
            {
                target[i] = 0f;
            }
        }

        metrics.Replaced();
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1; a vector at a time.</summary>
    internal static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var v = 0; v < vectors.Length; v++)
            {
                // x - x is 0 for every finite x and NaN for NaN and ±infinity.
                var x = vectors[v];
                if (!Vector.EqualsAll(x - x, Vector<float>.Zero))
                {
                    i = v * Vector<float>.Count;
                    break;
                }

                i = (v + 1) * Vector<float>.Count;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private FrameRejectedException Reject(RejectionReason reason, string problem)
    {
        metrics.Reject(reason);
        return new FrameRejectedException(model, reason, problem);
    }
}
