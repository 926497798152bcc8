namespace AiFactory.Edge.Core.Models;

public sealed class CardLabels
{
    public string? AnomalyColumn { get; set; }

    public List<string> ClassColumns { get; set; } = [];
}
