using System.Diagnostics.Metrics;
using AiFactory.Edge.Core.Batching;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Batching;

[Trait("Category", "Unit")]
public sealed class BatcherMeterTests
{
    [Fact]
    public async Task Meter_PublishesBatchesFramesRejectionsAndQueueDepth_TaggedWithTheModel()
    {
        // The meter is process-wide and other tests run in parallel: only this model's measurements count.
        const string Model = "meter-test-model";
        var seen = new List<(string Instrument, double Value, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BatcherMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Collect(i, v, tags));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Collect(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Collect(i, v, tags));
        listener.Start();

        await using (var batcher = new DynamicBatcher(new SumExecutor(maxBatch: 4, modelName: Model), new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 10_000_000 }, new FakeTimeProvider()))
        {
            await Assert.ThrowsAsync<FrameRejectedException>(() => batcher.SubmitAsync(new float[] { float.NaN, 0, 0 }, new float[2]).AsTask());
            var tasks = new Task<InferenceTiming>[4];
            for (var i = 0; i < tasks.Length; i++)
            {
                tasks[i] = batcher.SubmitAsync(new float[] { i, 0, 0 }, new float[2]).AsTask();
            }

            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        }

        lock (seen)
        {
            Assert.Equal([4.0], Values("aifactory.batcher.batch_size"));
            Assert.Equal([4.0], Values("aifactory.batcher.frames_completed"));
            Assert.Single(Values("aifactory.batcher.run_time"));
            Assert.Equal(4, Values("aifactory.batcher.queue_wait").Length);
            Assert.Empty(Values("aifactory.batcher.executor_failures"));
            // One change per submit on the way in, one per batch on the way out.
            // (The runner may record its -4 before the last submit records its +1.)
            Assert.Equal([-4.0, 1.0, 1.0, 1.0, 1.0], Values("aifactory.batcher.queue_depth").Order());
            var rejection = Assert.Single(seen, m => m.Instrument == "aifactory.batcher.rejections");
            Assert.Equal((1.0, "NonFinite"), (rejection.Value, rejection.Reason));
        }

        double[] Values(string instrument) => seen.Where(m => m.Instrument == instrument).Select(m => m.Value).ToArray();

        void Collect(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? model = null;
            string? reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "model")
                {
                    model = tag.Value as string;
                }
                else if (tag.Key == "reason")
                {
                    reason = tag.Value as string;
                }
            }

            if (model == Model)
            {
                lock (seen)
                {
                    seen.Add((instrument.Name, value, reason));
                }
            }
        }
    }
}
