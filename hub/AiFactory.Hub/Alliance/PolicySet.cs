namespace AiFactory.Hub.Alliance;

/// <summary>
/// The policies of one metric family in force for one query, looked up per line: the line's own policy, else its
/// plant's, else its company's; none means private.
/// </summary>
public sealed class PolicySet
{
    private readonly Dictionary<(string Company, string Plant, string Line), SharingPolicy> _byScope = [];

    public PolicySet(IEnumerable<SharingPolicy> policies)
    {
        foreach (var p in policies)
        {
            _byScope[(p.CompanyId, p.PlantId, p.LineId)] = p;
        }
    }

    public int Count => _byScope.Count;

    /// <summary>
    /// True when the line's value may count in an aggregate that <paramref name="askingCompany"/> asks for (null: an
    /// asker of no company, a hub admin, who sees only alliance-aggregate data) for <paramref name="purpose"/>.
    /// </summary>
    public bool Allows(string company, string plant, string line, string? askingCompany, string purpose)
    {
        if (!_byScope.TryGetValue((company, plant, line), out var p)
            && !_byScope.TryGetValue((company, plant, string.Empty), out p)
            && !_byScope.TryGetValue((company, string.Empty, string.Empty), out p))
        {
            return false;
        }

        if (!p.Purposes.Contains(purpose, StringComparer.Ordinal))
        {
            return false;
        }

        return PolicyStore.ParseLevel(p.Level) switch
        {
            SharingLevel.AllianceAggregate => true,
            SharingLevel.Named => askingCompany is not null && p.NamedCompanies.Contains(askingCompany, StringComparer.Ordinal),
            _ => false,
        };
    }
}
