using System.Threading.Channels;

namespace AiFactory.Hub.Live;

/// <summary>One live view's snapshots (the latest only, if it reads slower than they come); dispose to leave.</summary>
public sealed class LiveView(ChannelReader<LiveSnapshot> reader, Action leave, Func<LiveSnapshot?> latest) : IDisposable
{
    public ChannelReader<LiveSnapshot> Reader { get; } = reader;

    /// <summary>The scope's latest snapshot in this process (the feed's, shared by its views), for a reader that looks on its own clock.</summary>
    public LiveSnapshot? Latest => latest();

    public void Dispose() => leave();
}
