using System.Globalization;
using AiFactory.Edge.Core.Models;

namespace AiFactory.Edge.Replay;

/// <summary>One CSV prepared for a model: the feature columns found, each row's values parsed, bad values reported.</summary>
public sealed class ReplayInput
{
    private ReplayInput(CsvTable table, string relativePath, int[] featureColumns)
    {
        Table = table;
        RelativePath = relativePath;
        FeatureColumns = featureColumns;
    }

    public CsvTable Table { get; }

    public string RelativePath { get; }

    public int[] FeatureColumns { get; }

    public List<string> BadValues { get; } = [];

    public long BadValueCount { get; private set; }

    /// <summary>Maps the card's features to columns; a missing column is an error naming the file and the column.</summary>
    public static ReplayInput Open(string path, string relativePath, ModelCard card)
    {
        var table = CsvTable.Read(path);
        var columns = new int[card.Input.Features.Count];
        var missing = new List<string>();
        for (var i = 0; i < columns.Length; i++)
        {
            var column = table.Column(card.Input.Features[i]);
            if (column is null)
            {
                missing.Add(card.Input.Features[i]);
            }
            else
            {
                columns[i] = column.Value;
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{path}: missing column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} that model '{card.Name}' needs (the header has: {string.Join(", ", table.Header)}; separator '{table.Separator}')");
        }

        return new ReplayInput(table, relativePath, columns);
    }

    /// <summary>The row's feature values; a value that is not a number becomes NaN (the station imputes it) and is reported.</summary>
    public double[] Values(CsvRow row)
    {
        var values = new double[FeatureColumns.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var text = row.Field(FeatureColumns[i]);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                values[i] = double.NaN;
                BadValueCount++;
                if (BadValues.Count < 20)
                {
                    BadValues.Add($"{Table.Path}:{row.Line}: column '{Table.Header[FeatureColumns[i]]}': '{text}' is not a number");
                }
            }
        }

        return values;
    }
}
