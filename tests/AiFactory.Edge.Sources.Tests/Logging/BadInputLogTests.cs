using AiFactory.Edge.Sources.Logging;
using AiFactory.Testing;

namespace AiFactory.Edge.Sources.Tests.Logging;

[Trait("Category", "Unit")]
public sealed class BadInputLogTests
{
    private readonly ListLogger _logger = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void SameReason_IsLoggedOncePerInterval_ThenSaysHowManyWereHeld()
    {
        var log = new BadInputLog(_logger, "serial source 'scale'", TimeSpan.FromSeconds(10), _time);

        log.Report("line", "'x' does not match");
        for (var i = 0; i < 99; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            log.Report("line", $"garbage {i}");
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        log.Report("line", "'y' does not match");

        Assert.Equal(
            ["serial source 'scale': bad input: 'x' does not match", "serial source 'scale': bad input: 'y' does not match (99 more like it were counted, not logged, in the last 10 s)"],
            _logger.Lines.Select(l => l.Message));
        Assert.Equal(99, log.Suppressed);
    }

    [Fact]
    public void DetailWithNewlines_IsLoggedEscapedOnOneLine()
    {
        var log = new BadInputLog(_logger, "MQTT source 'plant'", TimeSpan.FromSeconds(10), _time);

        log.Report("unknown topic", "topic 'a\n[16:09:99 INF] FORGED\u001b[2J' matches no subscription");

        Assert.Equal([@"MQTT source 'plant': bad input: topic 'a\n[16:09:99 INF] FORGED\u001b[2J' matches no subscription"], _logger.Lines.Select(l => l.Message));
    }

    [Fact]
    public void DifferentReasons_AreLimitedSeparately()
    {
        var log = new BadInputLog(_logger, "Modbus bus 'rs485'", TimeSpan.FromSeconds(10), _time);

        log.Report("slave 3 timeout", "slave 3: timeout");
        log.Report("slave 4 exception", "slave 4: illegal data address");
        log.Report("slave 3 timeout", "slave 3: timeout");

        Assert.Equal(2, _logger.Lines.Count);
        Assert.All(_logger.Lines, l => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, l.Level));
    }
}
