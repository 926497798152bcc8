namespace AiFactory.Contracts;

/// <summary>An edge's report of its stations' models, sent every uplink window and after every change of model.</summary>
/// <param name="EdgeId">The edge.</param>
/// <param name="Etag">The desired state it has applied.</param>
/// <param name="Stations">One report per station and model.</param>
public sealed record EdgeModelReport(string EdgeId, string Etag, IReadOnlyList<StationModelReport> Stations);
