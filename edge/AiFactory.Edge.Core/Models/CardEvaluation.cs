namespace AiFactory.Edge.Core.Models;

public sealed class CardEvaluation
{
    public string? DataSha256 { get; set; }

    public List<int> HoldoutRows { get; set; } = [];

    public string? Baseline { get; set; }
}
