namespace AiFactory.Edge.Replay;

/// <summary>One data line of a CSV: its 1-based line number in the file and its fields.</summary>
public sealed record CsvRow(int Line, string[] Fields)
{
    public string Field(int index) => index < Fields.Length ? Fields[index] : string.Empty;
}
