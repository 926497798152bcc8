namespace AiFactory.Contracts;

/// <summary>The hub's confirmation; the edge deletes records up to <paramref name="LastSequence"/> only after it.</summary>
/// <param name="EdgeId">The edge the batch came from.</param>
/// <param name="LastSequence">The highest sequence now durably applied for the edge.</param>
/// <param name="Applied">Records of this batch applied now.</param>
/// <param name="Duplicates">Records of this batch skipped because they had been applied before.</param>
public sealed record UplinkAck(string EdgeId, long LastSequence, int Applied, int Duplicates);
