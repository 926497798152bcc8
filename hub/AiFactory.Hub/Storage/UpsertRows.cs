namespace AiFactory.Hub.Storage;

/// <summary>
/// Rows for a <see cref="BulkUpsert"/>, held column by column in typed arrays, so filling hundreds of rows of
/// seventy-odd counters boxes nothing; PostgreSQL receives each column as one array parameter.
/// </summary>
public sealed class UpsertRows
{
    private readonly IReadOnlyList<UpsertColumn> _columns;
    private readonly Array[] _data;

    public UpsertRows(IReadOnlyList<UpsertColumn> columns, int capacity)
    {
        _columns = columns;
        _data = new Array[columns.Count];
        capacity = Math.Max(4, capacity);
        for (var c = 0; c < columns.Count; c++)
        {
            _data[c] = NewColumn(columns[c].Type, capacity);
        }
    }

    public int Count { get; private set; }

    /// <summary>Appends an empty row (texts null, numbers 0) and answers its index.</summary>
    public int Add()
    {
        if (Count == _data[0].Length)
        {
            for (var c = 0; c < _data.Length; c++)
            {
                var larger = NewColumn(_columns[c].Type, Count * 2);
                Array.Copy(_data[c], larger, Count);
                _data[c] = larger;
            }
        }

        return Count++;
    }

    public void Text(int row, int column, string? value) => ((string?[])_data[column])[row] = value;

    public void Long(int row, int column, long value) => ((long[])_data[column])[row] = value;

    public void Double(int row, int column, double value) => ((double[])_data[column])[row] = value;

    public void NullableDouble(int row, int column, double? value) => ((double?[])_data[column])[row] = value;

    /// <summary>Sets a value given as an object (its column's type, or null for a nullable column).</summary>
    public void Boxed(int row, int column, object? value)
    {
        switch (_columns[column].Type)
        {
            case UpsertType.Text:
            case UpsertType.NullableText:
                Text(row, column, (string?)value);
                break;
            case UpsertType.Long:
                Long(row, column, (long)value!);
                break;
            case UpsertType.Double:
                Double(row, column, (double)value!);
                break;
            default:
                NullableDouble(row, column, (double?)value);
                break;
        }
    }

    /// <summary>One column's values, exactly <see cref="Count"/> of them.</summary>
    public Array Column(int column)
    {
        var data = _data[column];
        if (data.Length == Count)
        {
            return data;
        }

        var exact = NewColumn(_columns[column].Type, Count);
        Array.Copy(data, exact, Count);
        return exact;
    }

    /// <summary>One value as an object, DBNull for null (for per-row statements).</summary>
    public object Value(int row, int column) => _data[column].GetValue(row) ?? DBNull.Value;

    private static Array NewColumn(UpsertType type, int length) => type switch
    {
        UpsertType.Text or UpsertType.NullableText => new string?[length],
        UpsertType.Long => new long[length],
        UpsertType.Double => new double[length],
        _ => new double?[length],
    };
}
