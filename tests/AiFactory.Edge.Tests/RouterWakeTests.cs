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
}
