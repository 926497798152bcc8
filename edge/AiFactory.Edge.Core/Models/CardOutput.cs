namespace AiFactory.Edge.Core.Models;

public sealed class CardOutput
{
    public string? Score { get; set; }

    public string? Label { get; set; }

    public string? Probabilities { get; set; }

    public List<string> Classes { get; set; } = [];
}
