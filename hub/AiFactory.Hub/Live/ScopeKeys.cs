using AiFactory.Hub.Queries;

namespace AiFactory.Hub.Live;

/// <summary>Grain keys of scopes: their ids joined with '/', which no tenancy id contains.</summary>
public static class ScopeKeys
{
    public static string Of(MetricsScope scope) =>
        scope.StationId is not null ? $"{scope.CompanyId}/{scope.PlantId}/{scope.LineId}/{scope.StationId}"
        : scope.LineId is not null ? $"{scope.CompanyId}/{scope.PlantId}/{scope.LineId}"
        : scope.PlantId is not null ? $"{scope.CompanyId}/{scope.PlantId}"
        : scope.CompanyId;

    public static MetricsScope Parse(string key)
    {
        var parts = key.Split('/');
        return new MetricsScope(parts[0], parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2), parts.ElementAtOrDefault(3));
    }

    /// <summary>The scope one level up (station → line → plant → company); null for a company.</summary>
    public static MetricsScope? Parent(MetricsScope s) =>
        s.StationId is not null ? s with { StationId = null }
        : s.LineId is not null ? s with { LineId = null }
        : s.PlantId is not null ? s with { PlantId = null }
        : null;

    /// <summary>The id of the scope within its parent (a station's, line's or plant's own id).</summary>
    public static string ChildId(MetricsScope s) => s.StationId ?? s.LineId ?? s.PlantId ?? s.CompanyId;
}
