namespace AiFactory.Edge.Core.Samples;

public enum SourceState
{
    Stopped = 0,
    Connecting = 1,
    Connected = 2,
    Disconnected = 3,
}
