using AiFactory.Contracts;

namespace AiFactory.Hub.Queries;

/// <summary>One stored raw chunk of a station that opted in to raw upload: who sent it, the span it covers, its tags and rows.</summary>
public sealed record RawChunkRow(string EdgeId, long Seq, string LineId, string StationId, DateTimeOffset FirstTimeUtc, DateTimeOffset LastTimeUtc, IReadOnlyList<string> Tags, IReadOnlyList<RawRow> Rows);
