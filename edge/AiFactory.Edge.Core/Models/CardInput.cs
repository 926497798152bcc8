namespace AiFactory.Edge.Core.Models;

public sealed class CardInput
{
    public string Name { get; set; } = string.Empty;

    public string Dtype { get; set; } = "float32";

    public List<string> Features { get; set; } = [];

    public int Window { get; set; } = 1;
}
