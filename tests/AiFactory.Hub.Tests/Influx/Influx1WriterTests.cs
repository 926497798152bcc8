using System.Text.Json;
using AiFactory.Hub.Influx;
using AiFactory.Testing;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiFactory.Hub.Tests.Influx;

/// <summary>The writer against Debian's InfluxDB 1.6 (started by deploy/test.sh), read back through <c>/query</c>.</summary>
[Trait("Category", "Integration")]
public sealed class Influx1WriterTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567);

    [InfluxFact]
    public async Task SpecialCharactersAndNanoseconds_ReadBackExactly()
    {
        var (writer, db) = Writer(InfluxPrecision.Nanoseconds);
        var point = PointData.Builder.Measurement(InfluxText.Clean("line metrics,x"))
            .Tag("station id", InfluxText.Clean("s 1,=x"))
            .Tag("plant", InfluxText.Clean("p\\1"))
            .Tag("edge", InfluxText.Clean("ends with\\"))
            .Field("frames count", 42L)
            .Field("mean", 0.125)
            .Field("ok", true)
            .Field("note", "say \"hi\" \\ bye, a=b")
            .Timestamp(T, WritePrecision.Ns)
            .ToPointData();

        await writer.WriteAsync([point], CancellationToken.None);

        var row = await QueryOneRowAsync(db, "SELECT * FROM \"line metrics,x\"");
        Assert.Equal(1_700_000_000_123_456_700, row["time"].GetInt64());
        Assert.Equal("s 1,=x", row["station id"].GetString());
        Assert.Equal("p\\1", row["plant"].GetString());
        Assert.Equal("ends with/", row["edge"].GetString());
        Assert.Equal(42, row["frames count"].GetInt64());
        Assert.Equal(0.125, row["mean"].GetDouble());
        Assert.True(row["ok"].GetBoolean());
        Assert.Equal("say \"hi\" \\ bye, a=b", row["note"].GetString());
    }

    [InfluxFact]
    public async Task TwelveThousandPoints_GoInThreeWritesAfterCreatingTheDatabase_AndAllArrive()
    {
        var (writer, db) = Writer(InfluxPrecision.Milliseconds);
        var points = Enumerable.Range(0, 12_000)
            .Select(i => PointData.Measurement("station_window").Tag("station", $"s{i % 7}").Field("frames", (long)i).Timestamp(T.AddMilliseconds(i), WritePrecision.Ms))
            .ToList();

        await writer.WriteAsync(points, CancellationToken.None);

        // The first write finds no database (404), creates it and is sent again: 1 + 3 requests.
        Assert.Equal(4, writer.Requests);
        var row = await QueryOneRowAsync(db, "SELECT count(frames), sum(frames) FROM station_window");
        Assert.Equal(12_000, row["count"].GetInt64());
        Assert.Equal(12_000L * 11_999 / 2, row["sum"].GetInt64());
    }

    [InfluxFact]
    public async Task FieldOfAnotherTypeThanBefore_IsRefusedWithTheServersReason_NotRetried()
    {
        var (writer, db) = Writer(InfluxPrecision.Seconds);
        await writer.WriteAsync([PointData.Measurement("m").Field("v", 1L).Timestamp(T, WritePrecision.S)], CancellationToken.None);

        var ex = await Assert.ThrowsAsync<InfluxWriteException>(() => writer.WriteAsync([PointData.Measurement("m").Field("v", "text").Timestamp(T.AddSeconds(1), WritePrecision.S)], CancellationToken.None));

        Assert.Equal(400, ex.Status);
        Assert.Contains($"InfluxDB at {InfluxFactAttribute.Url} refused the write: 400 ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("field type conflict", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, writer.Requests);
        Assert.Equal(1, (await QueryOneRowAsync(db, "SELECT count(v) FROM m"))["count"].GetInt64());
    }

    private static (InfluxWriter Writer, string Database) Writer(InfluxPrecision precision)
    {
        var db = "aif_w_" + Guid.NewGuid().ToString("N")[..10];
        var options = new InfluxOptions { Url = InfluxFactAttribute.Url, Database = db, Precision = precision };
        return (new InfluxWriter(new HttpClient(), options, NullLogger<InfluxWriter>.Instance) { RetryBase = TimeSpan.FromMilliseconds(1) }, db);
    }

    /// <summary>The single row a query answers, by column name (times as epoch nanoseconds).</summary>
    private static async Task<Dictionary<string, JsonElement>> QueryOneRowAsync(string db, string query)
    {
        using var http = new HttpClient();
        var answer = await http.GetStringAsync($"{InfluxFactAttribute.Url}/query?db={db}&epoch=ns&q={Uri.EscapeDataString(query)}");
        var series = JsonDocument.Parse(answer).RootElement.GetProperty("results")[0].GetProperty("series")[0];
        var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
        var values = Assert.Single(series.GetProperty("values").EnumerateArray().ToList());
        return columns.Select((c, i) => (c, values[i].Clone())).ToDictionary(x => x.c, x => x.Item2);
    }
}
