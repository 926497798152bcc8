namespace AiFactory.Contracts;

/// <summary>What one station should run for one model: the package whose verdicts act, and a candidate in its shadow.</summary>
/// <param name="LineId">The station's line.</param>
/// <param name="StationId">The station.</param>
/// <param name="ModelName">The model (a card's name).</param>
/// <param name="Production">The package whose verdicts act; null: the one the edge's configuration names.</param>
/// <param name="Shadow">A candidate scoring the same frames, its verdicts recorded and never acted on; null: none.</param>
/// <param name="DeploymentId">The deployment that set this, if one is under way.</param>
public sealed record StationAssignment(string LineId, string StationId, string ModelName, ModelPackageRef? Production, ModelPackageRef? Shadow, string? DeploymentId);
