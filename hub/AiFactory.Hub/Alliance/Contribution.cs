namespace AiFactory.Hub.Alliance;

/// <summary>One company's value in a benchmark cell and its weight there (frames), which the dominance rule compares.</summary>
public sealed record Contribution(string Company, double Value, long Weight);
