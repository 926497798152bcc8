using AiFactory.Hub.Alliance;

namespace AiFactory.Hub.Tests.Alliance;

[Trait("Category", "Unit")]
public sealed class LineSpansTests
{
    private static long Day(int y, int m, int d) => new DateTimeOffset(y, m, d, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Fact]
    public void Cover_OfNovember2026_IsFourAlignedSpans()
    {
        // 1 November 2026 is day 20,758 since 1970: 2 days, then 8, 16 and 4.
        var spans = LineSpans.Cover(Day(2026, 11, 1), Day(2026, 12, 1));

        Assert.Equal([(2, Day(2026, 11, 1)), (8, Day(2026, 11, 3)), (16, Day(2026, 11, 11)), (4, Day(2026, 11, 27))], spans);
    }

    [Fact]
    public void Cover_OfAnyPeriod_IsExactContiguousAlignedAndShort()
    {
        var random = new Random(20261206);
        for (var n = 0; n < 2000; n++)
        {
            var from = Day(2024, 1, 1) + (random.Next(0, 1000) * LineDayRollup.DaySeconds);
            var to = from + (random.Next(1, 367) * LineDayRollup.DaySeconds);

            var spans = LineSpans.Cover(from, to);

            var at = from;
            foreach (var (days, start) in spans)
            {
                Assert.Equal(at, start);
                Assert.Contains(days, LineSpans.Sizes);
                Assert.Equal(0, start / LineDayRollup.DaySeconds % days);
                at += days * LineDayRollup.DaySeconds;
            }

            Assert.Equal(to, at);
            Assert.True(spans.Count <= 2 * LineSpans.Sizes.Count(), $"{spans.Count} spans for {(to - from) / LineDayRollup.DaySeconds} days");
        }
    }

    [Fact]
    public void Cover_OfAnEmptyPeriod_IsEmpty() => Assert.Empty(LineSpans.Cover(Day(2026, 11, 1), Day(2026, 11, 1)));
}
