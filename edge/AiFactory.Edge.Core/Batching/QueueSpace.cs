namespace AiFactory.Edge.Core.Batching;

/// <summary>
/// Room in the batcher's queue, counted in frames: a submit of n frames takes n permits, the runner gives them
/// back a batch at a time. Multi-frame submits that must wait take their permits one waiter at a time, so two of
/// them can never each hold part of the room and wait for the other forever.
/// </summary>
internal sealed class QueueSpace(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _permits = new(capacity, capacity);
    private readonly SemaphoreSlim _bulkWaiter = new(1, 1);

    public bool TryTake(int frames)
    {
        if (frames == 1)
        {
            return _permits.Wait(0);
        }

        var taken = 0;
        while (taken < frames && _permits.Wait(0))
        {
            taken++;
        }

        if (taken == frames)
        {
            return true;
        }

        // All or nothing: a partial hold would let two bulk submitters starve each other.
        Give(taken);
        return false;
    }

    public async ValueTask TakeAsync(int frames, CancellationToken cancellationToken)
    {
        if (frames == 1)
        {
            await _permits.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await _bulkWaiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        var taken = 0;
        try
        {
            while (taken < frames)
            {
                await _permits.WaitAsync(cancellationToken).ConfigureAwait(false);
                taken++;
            }
        }
        catch (OperationCanceledException)
        {
            Give(taken);
            throw;
        }
        finally
        {
            _bulkWaiter.Release();
        }
    }

    public void Give(int frames)
    {
        if (frames > 0)
        {
            _permits.Release(frames);
        }
    }

    public void Dispose()
    {
        _permits.Dispose();
        _bulkWaiter.Dispose();
    }
}
