using AiFactory.Hub.Cluster;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Tests.Cluster;

[Trait("Category", "Unit")]
public sealed class SiloOptionsTests
{
    private static readonly DatabaseSettings Postgres = new() { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=127.0.0.1;Database=hub" };

    [Fact]
    public void Defaults_AreLocalhostWithDashboard_AndValid()
    {
        var options = new SiloOptions();

        Assert.Equal((ClusteringMode.Localhost, true, "/dashboard"), (options.Clustering, options.Dashboard, options.DashboardPath));
        Assert.Empty(options.Problems(new DatabaseSettings()));
    }

    [Fact]
    public void AdoNetOnPostgresInKubernetes_IsValid() =>
        Assert.Empty(new SiloOptions { Clustering = ClusteringMode.AdoNet, Kubernetes = true }.Problems(Postgres));

    public static TheoryData<string, Action<SiloOptions>> Bad => new()
    {
        { "Hub:Silo:Clustering '7' is not Localhost or AdoNet.", o => o.Clustering = (ClusteringMode)7 },
        { "Hub:Silo:Kubernetes needs Hub:Silo:Clustering AdoNet: pods find each other through the membership table.", o => o.Kubernetes = true },
        { "Hub:Silo:ClusterId has 151 characters; the membership table takes 150.", o => o.ClusterId = new string('c', 151) },
        { "Hub:Silo:AdvertisedAddress 'hub-1' is not an IP address.", o => o.AdvertisedAddress = "hub-1" },
        { "Hub:Silo:DashboardPath '/api/v1/dashboard' must start with '/' and lie outside /api/.", o => o.DashboardPath = "/api/v1/dashboard" },
        { "Hub:Silo:DashboardPath 'dashboard' must start with '/' and lie outside /api/.", o => o.DashboardPath = "dashboard" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadSetting_IsTheOneProblemNamingTheKey(string expected, Action<SiloOptions> spoil)
    {
        var options = new SiloOptions();
        spoil(options);

        Assert.Equal([expected], options.Problems(new DatabaseSettings()));
    }

    public static TheoryData<string, Action<SiloOptions>> BadPortsAndIds => new()
    {
        { "Hub:Silo:SiloPort -1 is outside 0..65535", o => o.SiloPort = -1 },
        { "Hub:Silo:GatewayPort 70000 is outside 0..65535", o => o.GatewayPort = 70000 },
        { "Hub:Silo:SiloPort and GatewayPort are both 11111", o => (o.SiloPort, o.GatewayPort) = (11111, 11111) },
        { "Hub:Silo:ClusterId is empty", o => o.ClusterId = " " },
        { "Hub:Silo:ServiceId is empty", o => o.ServiceId = "" },
    };

    [Theory]
    [MemberData(nameof(BadPortsAndIds))]
    public void BadPortOrId_IsReportedNamingTheKey(string expected, Action<SiloOptions> spoil)
    {
        var options = new SiloOptions();
        spoil(options);

        Assert.Contains(options.Problems(new DatabaseSettings()), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidSiloOptions_StopTheHubAtStart()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Support.HubHarness.StartAsync(extra: ["--Hub:Silo:SiloPort=-1"]));

        Assert.Contains("Hub:Silo:SiloPort -1 is outside 0..65535", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdoNetOnSqlite_IsRefusedNamingBothKeys()
    {
        var problems = new SiloOptions { Clustering = ClusteringMode.AdoNet }.Problems(new DatabaseSettings());

        Assert.Equal(["Hub:Silo:Clustering AdoNet keeps the cluster's membership in the hub's database, which must be PostgreSql (Hub:Database:Provider is Sqlite)."], problems);
    }

    [Fact]
    public async Task AdoNetOnSqlite_StopsTheHubAtStart()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Support.HubHarness.StartAsync(extra: ["--Hub:Silo:Clustering=AdoNet"]));

        Assert.Contains("Hub:Silo:Clustering AdoNet keeps the cluster's membership in the hub's database, which must be PostgreSql", ex.Message, StringComparison.Ordinal);
    }
}
