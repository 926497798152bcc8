namespace AiFactory.Hub.Alliance;

/// <summary>
/// Decides which cells of one query are published. Every cell first meets the primary rules (at least k companies,
/// no company above the maximum share of the weight). Then, when a total is published beside its product-family cells,
/// the union of the suppressed families must itself meet the primary rules (otherwise total minus published families
/// would give it away): the smallest published family is suppressed too until it does, and the total goes with them
/// when no family is left. Last, without differential privacy, a cell whose set of companies differs from any cell
/// already released for the same alliance, process type and metric (any period, any family, any asker) by 1 to k−1
/// companies is suppressed: the two answers side by side describe that small group. Suppressing one cell can break the
/// complement rule again, so the steps repeat until nothing changes.
/// </summary>
public static class CellSuppression
{
    /// <param name="total">The cell over the whole process type.</param>
    /// <param name="families">The product-family cells (empty when the query asks for the total only).</param>
    /// <param name="released">Company sets already released; null under differential privacy, whose noise covers differencing.</param>
    /// <returns>The reason per cell, the total first, then the families in the given order.</returns>
    public static SuppressionReason[] Decide(AllianceSettings rules, CellCandidate total, IReadOnlyList<CellCandidate> families, IReadOnlyList<IReadOnlySet<string>>? released)
    {
        var cells = new List<CellCandidate> { total };
        cells.AddRange(families);
        var reasons = cells.Select(c => Primary(rules, c.Contributions)).ToArray();
        bool changed;
        do
        {
            changed = Complement(rules, cells, reasons) | (released is not null && Differencing(rules, cells, reasons, released));
        }
        while (changed);

        return reasons;
    }

    /// <summary>The primary rules on one set of contributions (a company counted once, its weights summed).</summary>
    public static SuppressionReason Primary(AllianceSettings rules, IEnumerable<Contribution> contributions)
    {
        var weights = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in contributions)
        {
            weights[c.Company] = weights.GetValueOrDefault(c.Company) + c.Weight;
        }

        if (weights.Count < rules.MinCompanies)
        {
            return SuppressionReason.TooFewCompanies;
        }

        var sum = weights.Values.Sum(w => (double)w);
        return weights.Values.Any(w => w > rules.MaxShare * sum) ? SuppressionReason.DominantContributor : SuppressionReason.None;
    }

    public static string? Describe(SuppressionReason reason, AllianceSettings rules) => reason switch
    {
        SuppressionReason.TooFewCompanies => $"fewer than {rules.MinCompanies} companies",
        SuppressionReason.DominantContributor => $"one company holds more than {rules.MaxShare:P0} of the cell's weight",
        SuppressionReason.Complementary => "suppressed so that another suppressed cell cannot be recovered from the total",
        SuppressionReason.Differencing => "its companies differ from an earlier released cell by fewer than the alliance's minimum",
        _ => null,
    };

    private static bool Complement(AllianceSettings rules, List<CellCandidate> cells, SuppressionReason[] reasons)
    {
        if (cells.Count == 1 || reasons[0] != SuppressionReason.None)
        {
            return false;
        }

        var changed = false;
        while (true)
        {
            var hidden = Enumerable.Range(1, cells.Count - 1).Where(i => reasons[i] != SuppressionReason.None).ToList();
            if (hidden.Count == 0 || Primary(rules, hidden.SelectMany(i => cells[i].Contributions)) == SuppressionReason.None)
            {
                return changed;
            }

            var shown = Enumerable.Range(1, cells.Count - 1).Where(i => reasons[i] == SuppressionReason.None)
                .OrderBy(i => cells[i].Companies.Count).ThenBy(i => cells[i].ProductFamily, StringComparer.Ordinal).ToList();
            if (shown.Count == 0)
            {
                reasons[0] = SuppressionReason.Complementary;
                return true;
            }

            reasons[shown[0]] = SuppressionReason.Complementary;
            changed = true;
        }
    }

    private static bool Differencing(AllianceSettings rules, List<CellCandidate> cells, SuppressionReason[] reasons, IReadOnlyList<IReadOnlySet<string>> released)
    {
        var changed = false;
        var accepted = new List<IReadOnlySet<string>>(released);
        for (var i = 0; i < cells.Count; i++)
        {
            if (reasons[i] != SuppressionReason.None)
            {
                continue;
            }

            if (accepted.Any(r => TooClose(rules, cells[i].Companies, r)))
            {
                reasons[i] = SuppressionReason.Differencing;
                changed = true;
            }
            else
            {
                accepted.Add(cells[i].Companies);
            }
        }

        return changed;
    }

    private static bool TooClose(AllianceSettings rules, IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        var differ = a.Count(x => !b.Contains(x)) + b.Count(x => !a.Contains(x));
        return differ > 0 && differ < rules.MinCompanies;
    }
}
