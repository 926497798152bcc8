namespace AiFactory.Edge.Replay;

/// <summary>A recorded CSV: its header and rows, with the separator (';' or ',') detected from the header line.</summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string path, char separator, string[] header, List<CsvRow> rows)
    {
        Path = path;
        Separator = separator;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            _columns.TryAdd(header[i], i);
        }
    }

    public string Path { get; }

    public char Separator { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    public static CsvTable Read(string path)
    {
        using var reader = new StreamReader(path);
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine))
        {
            throw new InvalidDataException($"{path}: the file is empty; expected a header line naming the columns");
        }

        var separator = headerLine.Contains(';', StringComparison.Ordinal) ? ';' : ',';
        var header = Split(headerLine, separator);
        var rows = new List<CsvRow>();
        var lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            rows.Add(new CsvRow(lineNumber, Split(line, separator)));
        }

        return new CsvTable(path, separator, header, rows);
    }

    public int? Column(string name) => _columns.TryGetValue(name, out var index) ? index : null;

    private static string[] Split(string line, char separator)
    {
        var fields = line.Split(separator);
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = fields[i].Trim().Trim('"');
        }

        return fields;
    }
}
