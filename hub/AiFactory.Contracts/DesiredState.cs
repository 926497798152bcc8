namespace AiFactory.Contracts;

/// <summary>
/// What the hub wants an edge to run: an assignment per station and model that a deployment touched. The edge asks
/// with the <paramref name="Etag"/> it has; the hub answers when it differs (long-poll).
/// </summary>
/// <param name="EdgeId">The edge.</param>
/// <param name="Etag">Changes whenever the assignments change.</param>
/// <param name="Stations">The assignments of the edge's plant's stations.</param>
public sealed record DesiredState(string EdgeId, string Etag, IReadOnlyList<StationAssignment> Stations);
