using System.Threading.Channels;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Live;

/// <summary>One started source: its reader task and the token that stops only it.</summary>
internal sealed class RunningSource
{
    private readonly CancellationTokenSource _stop;

    public RunningSource(ISampleSource source, ChannelWriter<TagSample> writer, CancellationToken lineStopping)
    {
        Source = source;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(lineStopping);
        Running = source.RunAsync(writer, _stop.Token);
    }

    public ISampleSource Source { get; }

    public Task Running { get; }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
