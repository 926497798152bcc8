using System.Threading.Channels;

namespace AiFactory.Hub.Live;

/// <summary>One live view's snapshots (the latest only, if it reads slower than they come); dispose to leave.</summary>
public sealed class LiveView(ChannelReader<LiveSnapshot> reader, Action leave) : IDisposable
{
    public ChannelReader<LiveSnapshot> Reader { get; } = reader;

    public void Dispose() => leave();
}
