using System.Diagnostics;
using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>What a scenario's fault works on: the hub, the edges (started), the time since they started, and the moment the fault ended.</summary>
internal sealed class ScenarioContext(DrillHub hub, IReadOnlyList<DrillEdge> edges, double edgeSeconds, TmpfsMount? disk, Action? healed = null)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public DrillHub Hub => hub;

    public IReadOnlyList<DrillEdge> Edges => edges;

    /// <summary>How long each edge runs (real seconds, from its start).</summary>
    public double EdgeSeconds => edgeSeconds;

    /// <summary>The small file system under the first edge's outbox, for the full-disk scenario.</summary>
    public TmpfsMount? Disk => disk;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>When the fault ended (a Stopwatch timestamp), and each edge's acknowledged uploads then.</summary>
    public long HealedAt { get; private set; }

    public int[] AckedAtHeal { get; private set; } = [];

    /// <summary>A scenario calls this when its fault is over: recovery is measured from here.</summary>
    public void Healed()
    {
        HealedAt = Stopwatch.GetTimestamp();
        AckedAtHeal = [.. edges.Select(e => e.Tap.Acked)];
        healed?.Invoke();
    }
}
