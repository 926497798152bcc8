namespace AiFactory.Edge.Live;

/// <summary>The verdict outputs in use: stations read it per verdict, a reload swaps it.</summary>
internal sealed class VerdictOutputsSlot(VerdictOutputs initial)
{
    private VerdictOutputs _current = initial;

    public VerdictOutputs Current => Volatile.Read(ref _current);

    /// <summary>Puts <paramref name="next"/> in use; returns the set it replaced (for the caller to stop).</summary>
    public VerdictOutputs Replace(VerdictOutputs next) => Interlocked.Exchange(ref _current, next);
}
