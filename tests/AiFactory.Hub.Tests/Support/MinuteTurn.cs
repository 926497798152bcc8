namespace AiFactory.Hub.Tests.Support;

/// <summary>
/// For tests on the real clock that read a one-minute live window (a tile's first-pass yield of the current minute):
/// a batch stamped just before a minute turns leaves that window as soon as it turns, however slowly the machine runs.
/// </summary>
internal static class MinuteTurn
{
    /// <summary>Returns once at least <paramref name="needed"/> is left in the current minute, waiting for the next one if not.</summary>
    public static async Task AwayAsync(TimeSpan needed)
    {
        var now = DateTimeOffset.UtcNow;
        var left = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
        if (left < needed)
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(200));
        }
    }
}
