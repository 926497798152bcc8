using AiFactory.Contracts;
using AiFactory.Hub.Hosting;

namespace AiFactory.Hub.Tenancy;

/// <summary>Refuses (400) an id of a company, plant, line, station, edge or key that breaks <see cref="EntityId.Grammar"/>.</summary>
public static class TenancyIds
{
    /// <param name="what">What the id names, e.g. "company" or "route value 'station'".</param>
    /// <param name="id">The id as given.</param>
    public static void Check(string what, string? id)
    {
        if (EntityId.Problem($"{what} id", id) is { } problem)
        {
            throw HubProblemException.BadRequest(problem);
        }
    }
}
