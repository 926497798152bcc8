namespace AiFactory.Edge.Core.Samples;

/// <summary>Live state of one source; counters are updated with Interlocked and read without locks.</summary>
public sealed class SourceStatus
{
    private long _samples;
    private long _decodeErrors;
    private long _reconnects;
    private int _state;
    private string? _lastError;

    public SourceState State => (SourceState)Volatile.Read(ref _state);

    public long Samples => Interlocked.Read(ref _samples);

    public long DecodeErrors => Interlocked.Read(ref _decodeErrors);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public string? LastError => Volatile.Read(ref _lastError);

    public void SetState(SourceState state, string? error = null)
    {
        Volatile.Write(ref _state, (int)state);
        if (error is not null)
        {
            Volatile.Write(ref _lastError, error);
        }
    }

    public void CountSample() => Interlocked.Increment(ref _samples);

    public void CountDecodeError(string error)
    {
        Interlocked.Increment(ref _decodeErrors);
        Volatile.Write(ref _lastError, error);
    }

    public void CountReconnect() => Interlocked.Increment(ref _reconnects);
}
