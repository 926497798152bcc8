namespace AiFactory.Hub.Alliance;

/// <summary>
/// One published or suppressed cell. A published cell names its companies only by per-query pseudonyms (none under
/// differential privacy, where its count is noisy too); a suppressed one says why and nothing else.
/// </summary>
public sealed record BenchmarkCell(
    string? ProductFamily, bool Published, string? Suppressed, long? Companies, IReadOnlyList<string>? Contributors, IReadOnlyDictionary<string, double>? Percentiles);
