namespace AiFactory.Hub.Alliance;

/// <summary>One de-identified raw chunk: renamed tags, moved times, shifted and quantised values.</summary>
public sealed record RoomChunk(IReadOnlyList<string> Tags, IReadOnlyList<AiFactory.Contracts.RawRow> Rows);
