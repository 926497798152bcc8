using System.Collections.Concurrent;
using AiFactory.Edge.Live;

namespace AiFactory.Edge.Tests;

/// <summary>The routing thread's sleep: a signal racing with falling asleep must never be lost.</summary>
[Trait("Category", "Unit")]
public sealed class RouterWakeTests
{
    [Fact]
    public void Signals_RacingWithSleep_AreNeverLost()
    {
        using var wake = new RouterWake();
        var queue = new ConcurrentQueue<int>();
        const int Items = 20_000;
        var consumed = 0;
        var consumer = new Thread(() =>
        {
            while (Volatile.Read(ref consumed) < Items)
            {
                while (queue.TryDequeue(out _))
                {
                    Interlocked.Increment(ref consumed);
                }

                if (Volatile.Read(ref consumed) < Items)
                {
                    // No spin: every empty queue goes through the announce-then-recheck path.
                    wake.Sleep(() => !queue.IsEmpty, TimeSpan.Zero);
                }
            }
        })
        {
            IsBackground = true,
        };
        consumer.Start();

        // One item at a time, each sent while the consumer is on its way to sleep or asleep: a single lost wake-up
        // leaves the consumer asleep with the item queued, and the producer waiting for it.
        for (var i = 0; i < Items; i++)
        {
            queue.Enqueue(i);
            wake.Signal();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Volatile.Read(ref consumed) <= i)
            {
                Assert.True(DateTime.UtcNow < deadline, $"item {i} was never taken: the consumer slept through its signal");
                Thread.SpinWait(i % 7 * 10);
            }
        }

        Assert.True(consumer.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(Items, Volatile.Read(ref consumed));
    }

    [Fact]
    public void Hold_SamplesBelowTheBatchDoNotWake_EnoughDo_AndTheTimeoutEndsTheHold()
    {
        using var wake = new RouterWake();
        var waiting = 0;
        bool Enough() => Volatile.Read(ref waiting) >= 3;

        // Nobody signals enough: the hold ends at its timeout.
        var held = System.Diagnostics.Stopwatch.StartNew();
        wake.Sleep(Enough, TimeSpan.Zero, Enough, TimeSpan.FromMilliseconds(100));
        Assert.InRange(held.Elapsed, TimeSpan.FromMilliseconds(95), TimeSpan.FromSeconds(5));

        // Two samples do not wake the holder; the third does, long before its 30-s timeout.
        using var woke = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            wake.Sleep(Enough, TimeSpan.Zero, Enough, TimeSpan.FromSeconds(30));
            woke.Set();
        })
        {
            IsBackground = true,
        };
        holder.Start();
        for (var i = 1; i <= 2; i++)
        {
            Volatile.Write(ref waiting, i);
            wake.SignalSample();
        }

        Assert.False(woke.Wait(TimeSpan.FromMilliseconds(200)));
        Volatile.Write(ref waiting, 3);
        wake.SignalSample();
        Assert.True(woke.Wait(TimeSpan.FromSeconds(10)));
    }
}
