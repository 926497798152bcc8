using AiFactory.Hub.Live;

namespace AiFactory.Hub.Tests.Live;

[Trait("Category", "Unit")]
public sealed class LiveOptionsValidatorTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.True(new LiveOptionsValidator().Validate(null, new LiveOptions()).Succeeded);

    public static TheoryData<string, Action<LiveOptions>> Bad => new()
    {
        { "Hub:Live:PushInterval 00:00:00 is outside", o => o.PushInterval = TimeSpan.Zero },
        { "Hub:Live:PushInterval 00:00:11 is outside", o => o.PushInterval = TimeSpan.FromSeconds(11) },
        { "Hub:Live:SnapshotRefresh 00:00:00.0500000 is outside PushInterval", o => o.SnapshotRefresh = TimeSpan.FromMilliseconds(50) },
        { "Hub:Live:ViewInterval -00:00:01 is outside 00:00:00..00:00:10", o => o.ViewInterval = TimeSpan.FromSeconds(-1) },
        { "Hub:Live:ViewInterval 00:00:11 is outside", o => o.ViewInterval = TimeSpan.FromSeconds(11) },
        { "Hub:Live:ObserverLease 00:00:00.5000000 is outside", o => o.ObserverLease = TimeSpan.FromMilliseconds(500) },
        { "Hub:Live:EventsKept 0 is outside 1..1000", o => o.EventsKept = 0 },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadSetting_FailsNamingTheKey(string expected, Action<LiveOptions> spoil)
    {
        var options = new LiveOptions();
        spoil(options);

        var result = new LiveOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidLiveOptions_StopTheHubAtStart()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Support.HubHarness.StartAsync(extra: ["--Hub:Live:EventsKept=0"]));

        Assert.Contains("Hub:Live:EventsKept 0 is outside 1..1000", ex.Message, StringComparison.Ordinal);
    }
}
