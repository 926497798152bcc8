using AiFactory.Hub.Cluster;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Tests.Cluster;

[Trait("Category", "Unit")]
public sealed class ClusterSettingsTests
{
    private static readonly DatabaseSettings Postgres = new() { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=127.0.0.1;Database=hub" };

    [Fact]
    public void Defaults_AreLocalhostAndValid() =>
        Assert.Equal((ClusteringMode.Localhost, 0), (new ClusterSettings().Clustering, new ClusterSettings().Problems(new DatabaseSettings()).Count()));

    [Fact]
    public void AdoNetOnPostgres_IsValid() =>
        Assert.Empty(new ClusterSettings { Clustering = ClusteringMode.AdoNet, Kubernetes = true }.Problems(Postgres));

    public static TheoryData<string, Action<ClusterSettings>> Bad => new()
    {
        { "Hub:Cluster:Clustering '7' is not Localhost or AdoNet.", c => c.Clustering = (ClusteringMode)7 },
        { "Hub:Cluster:Kubernetes needs Hub:Cluster:Clustering AdoNet: pods find each other through the membership table.", c => c.Kubernetes = true },
        { "Hub:Cluster:ClusterId '' must have 1 to 150 characters.", c => c.ClusterId = string.Empty },
        { $"Hub:Cluster:ServiceId '{new string('s', 151)}' must have 1 to 150 characters.", c => c.ServiceId = new string('s', 151) },
        { "Hub:Cluster:SiloPort 0 is outside 1..65535.", c => c.SiloPort = 0 },
        { "Hub:Cluster:GatewayPort 70000 is outside 1..65535.", c => c.GatewayPort = 70000 },
        { "Hub:Cluster:GatewayPort 11111 is also the SiloPort.", c => c.GatewayPort = 11111 },
        { "Hub:Cluster:AdvertisedAddress 'hub-1' is not an IP address.", c => c.AdvertisedAddress = "hub-1" },
        { "Hub:Cluster:DashboardPath '/api/v1/dashboard' must start with '/' and lie outside /api/.", c => c.DashboardPath = "/api/v1/dashboard" },
        { "Hub:Cluster:DashboardPath 'dashboard' must start with '/' and lie outside /api/.", c => c.DashboardPath = "dashboard" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadSetting_IsTheOneProblemNamingTheKey(string expected, Action<ClusterSettings> spoil)
    {
        var settings = new ClusterSettings();
        spoil(settings);

        Assert.Equal([expected], settings.Problems(new DatabaseSettings()));
    }

    [Fact]
    public void AdoNetOnSqlite_IsRefusedNamingBothKeys()
    {
        var problems = new ClusterSettings { Clustering = ClusteringMode.AdoNet }.Problems(new DatabaseSettings());

        Assert.Equal(["Hub:Cluster:Clustering AdoNet keeps the cluster's membership in the hub's database, which must be PostgreSql (Hub:Database:Provider is Sqlite)."], problems);
    }

    [Fact]
    public void HubOptionsValidator_ReportsClusterProblems()
    {
        var options = new HubOptions();
        options.Cluster.SiloPort = -1;

        var result = new HubOptionsValidator().Validate(null, options);

        Assert.Contains("Hub:Cluster:SiloPort -1 is outside 1..65535.", result.Failures!);
    }
}
