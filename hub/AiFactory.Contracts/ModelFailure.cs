namespace AiFactory.Contracts;

/// <summary>A package an edge refused or rolled back by itself, and why.</summary>
/// <param name="PackageId">The package.</param>
/// <param name="Stage"><c>download</c>, <c>verify</c>, <c>load</c>, <c>warm-up</c> or <c>run</c>.</param>
/// <param name="Reason">The edge's message, naming the file or model and the problem.</param>
/// <param name="AtUtc">When.</param>
public sealed record ModelFailure(string PackageId, string Stage, string Reason, DateTimeOffset AtUtc);
