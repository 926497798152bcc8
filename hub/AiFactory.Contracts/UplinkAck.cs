namespace AiFactory.Contracts;

/// <summary>The hub's confirmation; the edge deletes records up to <paramref name="LastSequence"/> only after it.</summary>
/// <param name="EdgeId">The edge the batch came from.</param>
/// <param name="LastSequence">The last sequence now durably applied.</param>
/// <param name="Duplicate">True when the batch had been applied before and changed nothing now.</param>
public sealed record UplinkAck(string EdgeId, long LastSequence, bool Duplicate);
