namespace AiFactory.Edge.Core.Batching;

/// <summary>
/// Room in the batcher's queue, counted in frames: a submit of n frames takes n at once or none (so two bulk
/// submitters can never each hold part of the room and wait for the other), and the runner gives room back a
/// batch at a time. Taking and giving are one interlocked operation each; only a submit that must wait touches
/// the signal, and a giver touches it only when someone waits.
/// </summary>
internal sealed class QueueSpace(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _roomSignal = new(0);
    private int _free = capacity;
    private int _waiters;

    public bool TryTake(int frames)
    {
        var free = Volatile.Read(ref _free);
        while (free >= frames)
        {
            var seen = Interlocked.CompareExchange(ref _free, free - frames, free);
            if (seen == free)
            {
                return true;
            }

            free = seen;
        }

        return false;
    }

    public async ValueTask TakeAsync(int frames, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Announce the wait before looking again: either this look sees the room a giver added, or that giver sees the waiter.
            Interlocked.Increment(ref _waiters);
            try
            {
                if (TryTake(frames))
                {
                    break;
                }

                await _roomSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }

            if (TryTake(frames))
            {
                break;
            }
        }

        // One give wakes one waiter: pass the wake on while room and waiters remain.
        if (Volatile.Read(ref _free) > 0 && Volatile.Read(ref _waiters) > 0)
        {
            _roomSignal.Release();
        }
    }

    public void Give(int frames)
    {
        if (frames <= 0)
        {
            return;
        }

        Interlocked.Add(ref _free, frames);
        if (Volatile.Read(ref _waiters) > 0)
        {
            _roomSignal.Release();
        }
    }

    public void Dispose() => _roomSignal.Dispose();
}
