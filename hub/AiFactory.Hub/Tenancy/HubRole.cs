namespace AiFactory.Hub.Tenancy;

/// <summary>What a key may do. Every role but <see cref="HubAdmin"/> is scoped to one company.</summary>
public enum HubRole
{
    /// <summary>An edge agent: writes results for the one plant its key is bound to, reads nothing.</summary>
    Edge,

    /// <summary>Reads its company's lines, plants and events.</summary>
    PlantEngineer,

    /// <summary>Reads its company's metrics; registers signing keys, pushes, deploys, promotes and rolls back its company's models.</summary>
    DataScientist,

    /// <summary>Reads its company's metrics and the benchmarks of the alliances its company belongs to (aggregates only, never one company's numbers).</summary>
    AllianceAnalyst,

    /// <summary>Manages its company's plants, lines, stations, edges and users, and reads everything in it.</summary>
    CompanyAdmin,

    /// <summary>Operates the hub: creates companies; reads and manages every company.</summary>
    HubAdmin,
}
