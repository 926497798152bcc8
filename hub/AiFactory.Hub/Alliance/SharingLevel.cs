namespace AiFactory.Hub.Alliance;

/// <summary>How far a company shares a metric family of a plant or line.</summary>
public enum SharingLevel
{
    /// <summary>Nobody outside the company sees it (also what holds where no policy applies or one expired).</summary>
    Private,

    /// <summary>It counts in alliance benchmarks, only ever as part of an aggregate that passes the alliance's rules.</summary>
    AllianceAggregate,

    /// <summary>It counts in the aggregates that the named member companies ask for, and in no one else's.</summary>
    Named,
}
