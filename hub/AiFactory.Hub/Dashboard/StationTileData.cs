using AiFactory.Hub.Live;

namespace AiFactory.Hub.Dashboard;

/// <summary>What one station's tile shows: its live figures (null before the first snapshot), its plant's edges, the line's outbox backlog and its data-quality problems.</summary>
public readonly record struct StationTileData(ChildLive? Live, int EdgesOnline, int EdgesTotal, long? Backlog, long? DataQualityProblems);
