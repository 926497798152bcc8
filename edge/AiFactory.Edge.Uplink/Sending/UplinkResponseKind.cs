namespace AiFactory.Edge.Uplink.Sending;

/// <summary>How the hub (or the network) answered one batch, as far as the edge's next move is concerned.</summary>
public enum UplinkResponseKind
{
    /// <summary>200 with an <c>UplinkAck</c>: delete up to its last sequence.</summary>
    Acked,

    /// <summary>Network error, timeout, 408, 429 or 5xx: keep everything, back off, retry.</summary>
    Retry,

    /// <summary>413: split the batch; a single record that is still too large is dead-lettered.</summary>
    TooLarge,

    /// <summary>400: split the batch to find the record(s) the hub refuses; a single refused record is dead-lettered.</summary>
    Rejected,

    /// <summary>401 or 403: keep everything, log loudly, back off.</summary>
    KeyRefused,

    /// <summary>Any other answer (404, 415, a 200 without an ack): keep everything, log, back off.</summary>
    Unexpected,
}
