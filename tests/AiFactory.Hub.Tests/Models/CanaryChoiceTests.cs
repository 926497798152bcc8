using AiFactory.Hub.Deployments;

namespace AiFactory.Hub.Tests.Models;

/// <summary>Which stations a canary runs on: the share rounded up, at least one, the same ones for the same model every time.</summary>
[Trait("Category", "Unit")]
public sealed class CanaryChoiceTests
{
    private static readonly string[] Stations = [.. Enumerable.Range(0, 10).Select(i => $"p1/l1/s{i}")];

    [Theory]
    [InlineData(0.01, 1)]
    [InlineData(0.1, 1)]
    [InlineData(0.25, 3)]
    [InlineData(0.5, 5)]
    [InlineData(1.0, 10)]
    public void Canary_Share_TakesTheShareRoundedUp(double share, int expected) =>
        Assert.Equal(expected, DeploymentPlanner.Canary("pump-anomaly", Stations, share).Count);

    [Fact]
    public void Canary_SameModelAndShare_ChoosesTheSameStationsAndALargerShareKeepsThem()
    {
        var small = DeploymentPlanner.Canary("pump-anomaly", Stations, 0.2);
        var again = DeploymentPlanner.Canary("pump-anomaly", [.. Stations.Reverse()], 0.2);
        var larger = DeploymentPlanner.Canary("pump-anomaly", Stations, 0.5);

        Assert.Equal(small, again);
        Assert.All(small, s => Assert.Contains(s, larger));
        Assert.NotEqual(small, DeploymentPlanner.Canary("steel-defects", Stations, 0.2));
    }
}
