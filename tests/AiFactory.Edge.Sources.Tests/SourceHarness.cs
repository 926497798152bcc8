using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests;

/// <summary>What every source test needs: the channel a source writes to, a stop signal, and bounded waits.</summary>
public abstract class SourceHarness : IDisposable
{
    private readonly Channel<TagSample> _samples = Channel.CreateUnbounded<TagSample>();
    private readonly CancellationTokenSource _stop = new();

    protected ChannelWriter<TagSample> Writer => _samples.Writer;

    protected CancellationToken Stopping => _stop.Token;

    public virtual void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    protected async Task<TagSample> NextSample() => await _samples.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Patience);

    /// <summary>The next sample with a value, skipping the Bad samples a failed read produces (they are counted on their tags).</summary>
    protected async Task<TagSample> NextGoodSample()
    {
        var deadline = DateTime.UtcNow + Eventually.Patience;
        while (DateTime.UtcNow < deadline)
        {
            var sample = await NextSample();
            if (sample.Quality == SampleQuality.Good)
            {
                return sample;
            }
        }

        throw new TimeoutException($"no good sample within {Eventually.Patience.TotalSeconds:0} s, only Bad ones");
    }

    protected void DropPending()
    {
        while (_samples.Reader.TryRead(out _))
        {
        }
    }

    protected async Task StopAsync(Task running)
    {
        await _stop.CancelAsync();
        await running.WaitAsync(Eventually.Patience);
    }

    protected static Task WaitFor(Func<bool> condition) => Eventually.WaitFor(condition);
}
