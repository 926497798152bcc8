namespace AiFactory.Contracts;

/// <summary>
/// Raw sensor values of one station, sent only when the station opts in (<c>raw_upload: true</c>): the frames the
/// station's model scored, in time order, one value per tag (null where a tag had no usable value).
/// </summary>
/// <param name="CompanyId">Owning company.</param>
/// <param name="PlantId">Owning plant.</param>
/// <param name="LineId">Owning line.</param>
/// <param name="StationId">The station.</param>
/// <param name="Tags">The tags of every row, in the order of its values.</param>
/// <param name="Rows">The frames, oldest first.</param>
public sealed record StationRawChunk(
    string CompanyId,
    string PlantId,
    string LineId,
    string StationId,
    IReadOnlyList<string> Tags,
    IReadOnlyList<RawRow> Rows);

/// <summary>One frame of raw values: its time and one value per tag of the chunk.</summary>
/// <param name="Time">The frame's time.</param>
/// <param name="Values">One value per tag; null where the tag had no usable value.</param>
public sealed record RawRow(DateTimeOffset Time, IReadOnlyList<double?> Values);
