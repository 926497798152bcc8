namespace AiFactory.Hub.Alliance;

/// <summary>Why a cell was not published (wire names in <see cref="CellSuppression.Describe"/>).</summary>
public enum SuppressionReason
{
    None,

    /// <summary>Fewer companies than the alliance's k.</summary>
    TooFewCompanies,

    /// <summary>One company holds more than the alliance's maximum share of the cell's weight.</summary>
    DominantContributor,

    /// <summary>Published, it would let a suppressed sibling be recovered from the total and the other siblings.</summary>
    Complementary,

    /// <summary>Its companies differ from a cell already released by fewer than k companies: the two side by side would single them out.</summary>
    Differencing,
}
