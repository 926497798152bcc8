using AiFactory.Edge.Uplink.Outbox;
using AiFactory.Edge.Uplink.Tests.Support;
using AiFactory.Testing;

namespace AiFactory.Edge.Uplink.Tests.Outbox;

/// <summary>
/// Salvage of a damaged outbox recovers exactly the records that reading each record on its own can read: pages
/// overwritten with random bytes at random places, and files cut at several lengths.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OutboxSalvageTests : IDisposable
{
    private const int Total = 3000;
    private const int Churn = 1500;
    private const int PageSize = 4096;
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _folder.Dispose();

    private string PathName => _folder.File("outbox.db");

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(3, 5)]
    [InlineData(4, 8)]
    [InlineData(5, 2)]
    [InlineData(6, 12)]
    public void Open_PagesOverwrittenWithRandomBytes_RecoversEveryRecordASingleReadCanRead(int seed, int pages)
    {
        var written = FilledOutbox.Fill(PathName, _time, Total, Churn);
        var random = new Random(seed);
        var count = (int)(new FileInfo(PathName).Length / PageSize);
        using (var file = new FileStream(PathName, FileMode.Open))
        {
            var garbage = new byte[PageSize];
            for (var i = 0; i < pages; i++)
            {
                // Past the first pages (the schema and the meta table): without those nothing is readable either way.
                file.Position = (long)random.Next(4, count) * PageSize;
                random.NextBytes(garbage);
                file.Write(garbage);
            }
        }

        AssertRecoversExactlyTheReadable(written);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.6)]
    [InlineData(0.77)]
    [InlineData(0.9)]
    public void Open_TruncatedFile_RecoversEveryRecordASingleReadCanRead(double keep)
    {
        var written = FilledOutbox.Fill(PathName, _time, Total, Churn);
        using (var file = new FileStream(PathName, FileMode.Open))
        {
            file.SetLength((long)(file.Length * keep));
        }

        AssertRecoversExactlyTheReadable(written);
    }

    private void AssertRecoversExactlyTheReadable(Dictionary<int, long> written)
    {
        var readable = FilledOutbox.ReadableOneByOne(PathName, written.Values.Order());
        Assert.InRange(readable.Length, 1, Total - 1);

        using var outbox = OutboxStore.Open(new OutboxOptions { Path = PathName }, time: _time);

        var waiting = outbox.Peek(Total, long.MaxValue);
        var recovered = waiting.Select(e => e.Sequence).Concat(outbox.DeadLetters(Total).Select(d => d.Sequence)).Order().ToArray();
        Assert.Equal(1, outbox.Counters.Quarantined);
        Assert.Equal(readable, recovered);
        Assert.All(waiting, e => Assert.Equal(written[Records.NumberOf(e)], e.Sequence));
    }
}
