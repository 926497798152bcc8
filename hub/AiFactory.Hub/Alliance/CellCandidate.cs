namespace AiFactory.Hub.Alliance;

/// <summary>A cell a query would publish: the whole process type (<paramref name="ProductFamily"/> null) or one family, with its contributions.</summary>
public sealed record CellCandidate(string? ProductFamily, IReadOnlyList<Contribution> Contributions)
{
    public IReadOnlySet<string> Companies { get; } = Contributions.Select(c => c.Company).ToHashSet(StringComparer.Ordinal);
}
