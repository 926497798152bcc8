using AiFactory.Hub.Cluster;

namespace AiFactory.Hub.Tests.Cluster;

[Trait("Category", "Unit")]
public sealed class SiloOptionsTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new SiloOptions().Problems());

    public static TheoryData<string, Action<SiloOptions>> Bad => new()
    {
        { "Hub:Silo:SiloPort -1 is outside 0..65535", o => o.SiloPort = -1 },
        { "Hub:Silo:GatewayPort 70000 is outside 0..65535", o => o.GatewayPort = 70000 },
        { "Hub:Silo:SiloPort and GatewayPort are both 11111", o => (o.SiloPort, o.GatewayPort) = (11111, 11111) },
        { "Hub:Silo:ClusterId is empty", o => o.ClusterId = " " },
        { "Hub:Silo:ServiceId is empty", o => o.ServiceId = "" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadSetting_IsReportedNamingTheKey(string expected, Action<SiloOptions> spoil)
    {
        var options = new SiloOptions();
        spoil(options);

        Assert.Contains(options.Problems(), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidSiloOptions_StopTheHubAtStart()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Support.HubHarness.StartAsync(extra: ["--Hub:Silo:SiloPort=-1"]));

        Assert.Contains("Hub:Silo:SiloPort -1 is outside 0..65535", ex.Message, StringComparison.Ordinal);
    }
}
