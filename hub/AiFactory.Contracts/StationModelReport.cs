namespace AiFactory.Contracts;

/// <summary>
/// One station's models as its edge runs them: the production model, the shadow candidate beside it, how often their
/// verdicts agreed on the frames both scored, packages that failed there, and the inputs' distributions.
/// </summary>
/// <param name="LineId">The station's line.</param>
/// <param name="StationId">The station.</param>
/// <param name="ModelName">The model (card name).</param>
/// <param name="Production">The production model's figures.</param>
/// <param name="Shadow">The shadow candidate's figures; null without one.</param>
/// <param name="Compared">Frames both scored.</param>
/// <param name="Agreed">Of those, frames with the same verdict.</param>
/// <param name="Failures">Packages the edge refused or rolled back at this station (latest first, at most 10).</param>
/// <param name="Inputs">Per feature, calibration and live distributions (drift).</param>
public sealed record StationModelReport(
    string LineId,
    string StationId,
    string ModelName,
    ModelRunStats Production,
    ModelRunStats? Shadow,
    long Compared,
    long Agreed,
    IReadOnlyList<ModelFailure> Failures,
    IReadOnlyList<FeatureDistribution> Inputs);
