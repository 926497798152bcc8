using System.Diagnostics;
using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Live;

/// <summary>
/// Puts the routing thread to sleep when it has nothing to do, or while it holds a few samples for a batch's worth,
/// and wakes it when a source hands over a sample (while holding: once enough wait), a batcher finishes a batch or
/// the agent stops. A signal costs a wake-up only while the thread actually sleeps, so a busy line pays nothing per
/// sample; a signal that races with falling asleep is never lost.
/// </summary>
internal sealed class RouterWake : IDisposable
{
    private const int Running = 0;
    private const int Sleeping = 1;
    private static readonly Func<bool> Always = () => true;

    // No spinning before blocking: on a two-core plant PC the spin (sched_yield calls) takes the core that the
    // source or the broker needs to produce the very sample being waited for.
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);
    private Func<bool> _enough = Always;
    private int _state;

    /// <summary>Wakes the sleeper whatever it waits for (stop, results, the channel completing).</summary>
    public void Signal()
    {
        if (Volatile.Read(ref _state) == Sleeping && Interlocked.CompareExchange(ref _state, Running, Sleeping) == Sleeping)
        {
            _wake.Set();
        }
    }

    /// <summary>A sample was handed over: wakes the sleeper if it waits for any sample, or if it holds and now enough wait.</summary>
    public void SignalSample()
    {
        if (Volatile.Read(ref _state) == Sleeping && Volatile.Read(ref _enough)() && Interlocked.CompareExchange(ref _state, Running, Sleeping) == Sleeping)
        {
            _wake.Set();
        }
    }

    /// <summary>
    /// Sleeps until signalled or <paramref name="timeout"/> passes, unless <paramref name="hasWork"/> says there is
    /// work: first looked for with pause instructions for up to <paramref name="spin"/> (within a burst the next
    /// message is usually microseconds away, and a sleep and wake-up cost tens of microseconds on a virtual machine),
    /// then once more after announcing the sleep. <paramref name="enough"/> is what a new sample must find to wake it
    /// (null: any sample).
    /// </summary>
    public void Sleep(Func<bool> hasWork, TimeSpan spin, Func<bool>? enough = null, TimeSpan? timeout = null)
    {
        var until = Stopwatch.GetTimestamp() + (long)(spin.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (hasWork())
            {
                return;
            }

            Thread.SpinWait(20);
        }

        Volatile.Write(ref _enough, enough ?? Always);
        Interlocked.Exchange(ref _state, Sleeping);
        if (hasWork() && Interlocked.CompareExchange(ref _state, Running, Sleeping) == Sleeping)
        {
            return;
        }

        if (timeout is { } limit && !_wake.Wait(limit) && Interlocked.CompareExchange(ref _state, Running, Sleeping) == Sleeping)
        {
            // Timed out with nobody signalling.
            return;
        }

        // Either nothing to do, or a signaller already switched the state back and is setting the event: take it.
        _wake.Wait();
        _wake.Reset();
    }

    public void Dispose() => _wake.Dispose();

    /// <summary>The line channel's writer as the sources see it: every accepted sample signals the routing thread.</summary>
    public sealed class SignallingWriter(ChannelWriter<TagSample> inner, RouterWake wake) : ChannelWriter<TagSample>
    {
        public override bool TryWrite(TagSample item)
        {
            if (!inner.TryWrite(item))
            {
                return false;
            }

            wake.SignalSample();
            return true;
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);

        public override bool TryComplete(Exception? error = null)
        {
            var completed = inner.TryComplete(error);
            wake.Signal();
            return completed;
        }
    }
}
