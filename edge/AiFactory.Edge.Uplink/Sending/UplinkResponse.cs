using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Sending;

/// <summary>One batch's outcome: its kind, the HTTP status (0 when no answer came), the ack, the hub's problem detail, a Retry-After.</summary>
public sealed record UplinkResponse(UplinkResponseKind Kind, int Status, UplinkAck? Ack, string Detail, TimeSpan? RetryAfter = null);
