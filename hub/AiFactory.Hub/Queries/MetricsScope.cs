namespace AiFactory.Hub.Queries;

/// <summary>What a metrics query covers: a company, or one of its plants, lines or stations.</summary>
public sealed record MetricsScope(string CompanyId, string? PlantId = null, string? LineId = null, string? StationId = null)
{
    public string Describe() => StationId is not null ? $"station '{StationId}' on line '{LineId}' of plant '{PlantId}'"
        : LineId is not null ? $"line '{LineId}' of plant '{PlantId}'"
        : PlantId is not null ? $"plant '{PlantId}'"
        : $"company '{CompanyId}'";
}
