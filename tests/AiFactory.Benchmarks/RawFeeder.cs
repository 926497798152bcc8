namespace AiFactory.Benchmarks;

/// <summary>
/// Fills a run context's input with the next <c>batch</c> rows of a model's distinct benchmark frames before each Run,
/// so raw ONNX Runtime is measured on changing data, as the batcher is (see RatioBenchmark.Raw).
/// </summary>
internal sealed class RawFeeder(AiFactory.Onnx.OnnxRunContext context, BenchModel model, int inputIndex, int batch)
{
    private int _next;

    public void Fill()
    {
        var width = model.Card.FrameLength;
        var input = context.FloatInput(inputIndex, batch);
        for (var r = 0; r < batch; r++)
        {
            model.Frames[_next].CopyTo(input.Slice(r * width, width));
            _next = (_next + 1) % model.Frames.Length;
        }
    }
}
