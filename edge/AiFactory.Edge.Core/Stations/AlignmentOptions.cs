namespace AiFactory.Edge.Core.Stations;

/// <summary>How a station aligns its tags into frames.</summary>
/// <param name="MaxSkew">
/// Per-sample stations: the longest time between the first and last value of one frame; when it passes with a tag
/// still missing, <paramref name="Missing"/> decides. Null: wait until every tag has a new value.
/// </param>
/// <param name="Missing">Hold the last value or drop the frame when a tag has no fresh value at close.</param>
/// <param name="StaleAfter">How old a held value may be at the frame's time (a tag's own limit takes precedence); null: any age.</param>
public sealed record AlignmentOptions(TimeSpan? MaxSkew = null, MissingTagPolicy Missing = MissingTagPolicy.HoldLast, TimeSpan? StaleAfter = null);
