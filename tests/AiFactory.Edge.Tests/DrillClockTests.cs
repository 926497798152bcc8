using AiFactory.Edge.Live;
using AiFactory.Testing;

namespace AiFactory.Edge.Tests;

/// <summary>The drill's clock jump: the wall clock steps once, at the time asked; the monotonic clock never does.</summary>
[Trait("Category", "Unit")]
public sealed class DrillClockTests
{
    [Fact]
    public void Unset_IsTheRealClock()
    {
        var real = new FakeTimeProvider();
        Assert.Same(real, DrillClock.From(null, real));
        Assert.Same(real, DrillClock.From(string.Empty, real));
    }

    [Fact]
    public void JumpBack_StepsTheWallClockAtTheTimeAsked_AndKeepsTheMonotonicClock()
    {
        var real = new FakeTimeProvider();
        var clock = DrillClock.From("8:-3600", real);
        var start = real.GetUtcNow();
        real.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(start.AddSeconds(7), clock.GetUtcNow());
        real.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(start.AddSeconds(8).AddHours(-1), clock.GetUtcNow());
        Assert.Equal(real.GetTimestamp(), clock.GetTimestamp());
    }

    [Theory]
    [InlineData("8")]
    [InlineData("x:-3600")]
    [InlineData("8:-99999999")]
    [InlineData("-1:60")]
    public void BadValue_IsRefusedWithAMessageThatNamesTheVariable(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => DrillClock.From(value, new FakeTimeProvider()));
        Assert.Equal($"AIFACTORY_DRILL_CLOCK_JUMP='{value}' is not AFTER_S:OFFSET_S (seconds after start, 0 to 86400, and the jump in seconds, at most 30 days either way), e.g. 8:-3600", e.Message);
    }
}
