using AiFactory.Edge.Core.Batching;

namespace AiFactory.Edge.Core.Tests.Batching;

/// <summary>A fake model: each result is [sum of the frame, batch size]; records every batch; can be told to fail or block.</summary>
internal sealed class SumExecutor(int frameLength = 3, int maxBatch = 8, string modelName = "sum-model") : IBatchExecutor
{
    private readonly Lock _gate = new();
    private readonly List<int> _batches = [];

    public string ModelName => modelName;

    public int FrameLength => frameLength;

    public int ResultLength => 2;

    public int MaxBatchSize => maxBatch;

    public Func<int, bool>? FailWhen { get; set; }

    public ManualResetEventSlim? Gate { get; set; }

    public TimeProvider? Clock { get; set; }

    public List<long> ExecutedAt { get; } = [];

    public int[] Batches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    public void Execute(ReadOnlySpan<float> frames, int batch, Span<float> results)
    {
        Gate?.Wait(TimeSpan.FromSeconds(10));
        lock (_gate)
        {
            _batches.Add(batch);
            if (Clock is not null)
            {
                ExecutedAt.Add(Clock.GetTimestamp());
            }
        }

        if (FailWhen?.Invoke(batch) == true)
        {
            throw new InvalidOperationException("simulated runtime failure");
        }

        for (var row = 0; row < batch; row++)
        {
            float sum = 0;
            foreach (var v in frames.Slice(row * frameLength, frameLength))
            {
                sum += v;
            }

            results[row * 2] = sum;
            results[(row * 2) + 1] = batch;
        }
    }
}
