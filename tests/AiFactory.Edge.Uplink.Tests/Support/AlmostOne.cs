namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>A "random" source whose every draw is 0.99, so a full-jitter backoff waits 99 % of its bound.</summary>
internal sealed class AlmostOne : Random
{
    protected override double Sample() => 0.99;

    public override double NextDouble() => 0.99;
}
