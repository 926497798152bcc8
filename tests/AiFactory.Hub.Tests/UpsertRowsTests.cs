using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Unit")]
public sealed class UpsertRowsTests
{
    private static readonly UpsertColumn[] Columns =
    [
        new("name", UpsertType.Text, UpsertMerge.Key), new("n", UpsertType.Long, UpsertMerge.Add),
        new("sum", UpsertType.Double, UpsertMerge.Add), new("low", UpsertType.NullableDouble, UpsertMerge.Min),
    ];

    [Fact]
    public void Rows_GrowPastTheirCapacity_AndEachColumnComesBackExactlyAsSet()
    {
        var rows = new UpsertRows(Columns, 4);
        for (var i = 0; i < 11; i++)
        {
            var r = rows.Add();
            rows.Text(r, 0, $"s{i}");
            rows.Long(r, 1, i);
            rows.Double(r, 2, i * 0.5);
            rows.NullableDouble(r, 3, i % 2 == 0 ? null : i);
        }

        Assert.Equal(11, rows.Count);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"s{i}"), (string?[])rows.Column(0));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), (long[])rows.Column(1));
        Assert.Equal(2.5, ((double[])rows.Column(2))[5]);
        Assert.Null(((double?[])rows.Column(3))[4]);
        Assert.Equal(DBNull.Value, rows.Value(4, 3));
        Assert.Equal(5.0, rows.Value(5, 3));
    }

    [Fact]
    public void BoxedValues_LandInTheirTypedColumns()
    {
        var rows = new UpsertRows(Columns, 1);
        var r = rows.Add();
        rows.Boxed(r, 0, "a");
        rows.Boxed(r, 1, 7L);
        rows.Boxed(r, 2, 1.5);
        rows.Boxed(r, 3, null);

        Assert.Equal(("a", 7L, 1.5), (((string?[])rows.Column(0))[0], ((long[])rows.Column(1))[0], ((double[])rows.Column(2))[0]));
        Assert.Equal(DBNull.Value, rows.Value(0, 3));
    }
}
