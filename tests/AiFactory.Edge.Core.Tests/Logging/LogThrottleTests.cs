using AiFactory.Edge.Core.Logging;
using AiFactory.Testing;

namespace AiFactory.Edge.Core.Tests.Logging;

[Trait("Category", "Unit")]
public sealed class LogThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void FirstBadInput_IsLoggedWithNothingSuppressed()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), _time);

        Assert.True(throttle.ShouldLog("malformed payload", out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void RepeatsWithinTheInterval_AreSuppressedAndReportedWhenLoggingResumes()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), _time);
        throttle.ShouldLog("malformed payload", out _);

        var logged = 0;
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            logged += throttle.ShouldLog("malformed payload", out _) ? 1 : 0;
        }

        _time.Advance(TimeSpan.FromSeconds(4.999));
        Assert.False(throttle.ShouldLog("malformed payload", out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(throttle.ShouldLog("malformed payload", out var suppressed));
        Assert.Equal(0, logged);
        Assert.Equal(6, suppressed);
    }

    [Fact]
    public void AfterResuming_TheSuppressedCountStartsAgain()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), _time);
        throttle.ShouldLog("r", out _);
        throttle.ShouldLog("r", out _);
        _time.Advance(TimeSpan.FromSeconds(10));
        throttle.ShouldLog("r", out _);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(throttle.ShouldLog("r", out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void Reasons_AreThrottledIndependently()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), _time);
        throttle.ShouldLog("slave 7 timeout", out _);

        Assert.True(throttle.ShouldLog("slave 8 timeout", out _));
        Assert.False(throttle.ShouldLog("slave 7 timeout", out _));
    }

    [Fact]
    public void ZeroInterval_LogsEveryBadInput()
    {
        var throttle = new LogThrottle(TimeSpan.Zero, _time);

        Assert.True(throttle.ShouldLog("r", out _));
        Assert.True(throttle.ShouldLog("r", out var suppressed));
        Assert.Equal(0, suppressed);
    }

    [Fact]
    public void DefaultInterval_IsTenSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), new LogThrottle(time: _time).Interval);
    }

    [Fact]
    public void ReasonsPastTheLimit_ShareOneWindow()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < LogThrottle.MaxReasons; i++)
        {
            Assert.True(throttle.ShouldLog($"reason {i}", out _));
        }

        Assert.True(throttle.ShouldLog("one more", out _));
        Assert.False(throttle.ShouldLog("and another", out _));
        Assert.False(throttle.ShouldLog("reason 0", out _));
    }

    [Fact]
    public void NegativeInterval_IsRefusedNamingTheParameter()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LogThrottle(TimeSpan.FromSeconds(-1), _time));

        Assert.Equal("interval", ex.ParamName);
    }
}
