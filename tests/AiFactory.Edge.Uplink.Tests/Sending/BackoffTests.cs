using AiFactory.Edge.Uplink.Sending;

namespace AiFactory.Edge.Uplink.Tests.Sending;

[Trait("Category", "Unit")]
public sealed class BackoffTests
{
    [Fact]
    public void Next_DrawsBelowADoublingCeilingUpToTheCap_AndResetStartsOver()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), new Random(3));
        var ceilings = new List<double>();
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            ceilings.Add(backoff.Ceiling.TotalSeconds);
            delays.Add(backoff.Next());
        }

        Assert.Equal([1.0, 2, 4, 5, 5, 5], ceilings);
        Assert.All(delays.Zip(ceilings), p => Assert.InRange(p.First.TotalSeconds, 0, p.Second));
        Assert.Equal(6, delays.Distinct().Count());
        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Ceiling);
    }

    [Fact]
    public void Next_FullJitter_SpreadsDelaysOverTheWholeRange()
    {
        var random = new Random(5);
        var draws = Enumerable.Range(0, 2000).Select(_ => new Backoff(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8), random).Next().TotalSeconds).ToArray();

        Assert.InRange(draws.Min(), 0, 0.1);
        Assert.InRange(draws.Max(), 7.9, 8);
        Assert.InRange(draws.Average(), 3.8, 4.2);
    }
}
