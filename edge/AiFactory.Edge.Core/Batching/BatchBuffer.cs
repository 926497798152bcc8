namespace AiFactory.Edge.Core.Batching;

/// <summary>
/// The batch the runner is assembling or running: which submits' rows it holds (a multi-frame submit may lend only
/// some of its rows), their frames side by side for the executor, and the results to hand back row by row.
/// </summary>
internal sealed class BatchBuffer(int maxBatch, int frameLength, int resultLength)
{
    private readonly BatchRequest?[] _requests = new BatchRequest?[maxBatch];
    private readonly int[] _firstRow = new int[maxBatch];
    private readonly int[] _rows = new int[maxBatch];
    private readonly float[] _frames = new float[maxBatch * frameLength];
    private readonly float[] _results = new float[maxBatch * resultLength];
    private int _entries;

    /// <summary>Frames in the batch.</summary>
    public int Rows { get; private set; }

    public ReadOnlySpan<float> Frames => _frames.AsSpan(0, Rows * frameLength);

    public Span<float> Results => _results.AsSpan(0, Rows * resultLength);

    public void Add(BatchRequest request, int firstRow, int rows)
    {
        _requests[_entries] = request;
        _firstRow[_entries] = firstRow;
        _rows[_entries] = rows;
        _entries++;
        Rows += rows;
    }

    /// <summary>Copies every row's frame in and records how long each waited until <paramref name="start"/>.</summary>
    public void Fill(FrameValidator validator, TimeProvider time, long start, BatcherMetrics metrics)
    {
        var row = 0;
        for (var i = 0; i < _entries; i++)
        {
            var request = _requests[i]!;
            var rows = _rows[i];
            var target = _frames.AsSpan(row * frameLength, rows * frameLength);
            if (request.Source.IsEmpty)
            {
                request.Frame.AsSpan().CopyTo(target);
            }
            else
            {
                validator.Copy(request.Source.Span.Slice(_firstRow[i] * frameLength, rows * frameLength), target);
            }

            var wait = time.GetElapsedTime(request.EnqueuedAt, start);
            if (_firstRow[i] == 0)
            {
                request.FirstWait = wait;
            }

            metrics.FramesQueued((long)wait.TotalMicroseconds, rows);
            row += rows;
        }
    }

    /// <summary>
    /// Hands each submit its rows' results (or the failure); completes a submit when its last row has run; empties the
    /// batch. A result holding NaN or an infinity fails its submit alone, naming the frame and the value, and is counted.
    /// </summary>
    public void Complete(TimeSpan runTime, Exception? failure, string model, BatcherMetrics metrics)
    {
        var row = 0;
        for (var i = 0; i < _entries; i++)
        {
            var request = _requests[i]!;
            var rows = _rows[i];
            _requests[i] = null;
            var results = _results.AsSpan(row * resultLength, rows * resultLength);
            var nonFinite = failure is null ? FrameValidator.FirstNonFinite(results) : -1;
            if (nonFinite >= 0)
            {
                metrics.NonFiniteResult();
                request.Failure ??= new InvalidOperationException(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"model '{model}': frame {_firstRow[i] + (nonFinite / resultLength)} of {request.Rows}: result value {nonFinite % resultLength} is {results[nonFinite]} (the model returned a non-finite value; the frame has no result)"));
            }
            else if (failure is null)
            {
                results.CopyTo(request.Result.Span[(_firstRow[i] * resultLength)..]);
            }
            else
            {
                request.Failure ??= new InvalidOperationException($"model '{model}': a batch of {Rows} frames failed: {failure.Message}", failure);
            }

            row += rows;
            request.RunTotal += runTime;
            request.RowsDone += rows;
            if (request.RowsDone < request.Rows)
            {
                continue;
            }

            if (request.Failure is { } error)
            {
                request.Fail(error);
            }
            else
            {
                request.Complete(new InferenceTiming(request.FirstWait, request.RunTotal, Rows));
            }

            request.Release();
        }

        _entries = 0;
        Rows = 0;
    }
}
