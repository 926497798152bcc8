namespace AiFactory.Hub.Tenancy;

/// <summary>The wire names of <see cref="HubRole"/> ("plant-engineer", ...).</summary>
public static class HubRoles
{
    private static readonly Dictionary<string, HubRole> ByName = new(StringComparer.Ordinal)
    {
        ["edge"] = HubRole.Edge,
        ["plant-engineer"] = HubRole.PlantEngineer,
        ["data-scientist"] = HubRole.DataScientist,
        ["alliance-analyst"] = HubRole.AllianceAnalyst,
        ["company-admin"] = HubRole.CompanyAdmin,
        ["hub-admin"] = HubRole.HubAdmin,
    };

    public static string Name(HubRole role) => ByName.First(p => p.Value == role).Key;

    public static bool TryParse(string? name, out HubRole role) => ByName.TryGetValue(name ?? string.Empty, out role);

    /// <summary>The roles a user key may be given (not the edge's).</summary>
    public static string UserRoleList => "plant-engineer, data-scientist, alliance-analyst, company-admin";
}
