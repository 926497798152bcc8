using AiFactory.Hub.Audit;
using AiFactory.Hub.Cluster;
using AiFactory.Hub.Ingest;
using AiFactory.Hub.Live;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;

namespace AiFactory.Hub.Tests.Support;

/// <summary>
/// The hub's grains in Orleans' in-process test cluster over a temp SQLite file; live state reads a fake clock (the
/// silo's own timers run in real time).
/// </summary>
public sealed class LiveCluster : IAsyncDisposable
{
    public static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _dir;

    private LiveCluster(string dir, InProcessTestCluster cluster, HubDatabase database, FakeTimeProvider clock)
    {
        _dir = dir;
        Cluster = cluster;
        Database = database;
        Clock = clock;
        Tenancy = new TenancyStore(database, clock);
        Sql = new SqlBatchAggregator(database, clock);
        Metrics = new MetricsQuery(database);
    }

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    public HubDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public TenancyStore Tenancy { get; }

    public SqlBatchAggregator Sql { get; }

    public MetricsQuery Metrics { get; }

    public static async Task<LiveCluster> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-live-").FullName;
        var clock = new FakeTimeProvider();
        var database = new HubDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dir, "hub.db")}");
        await new Migrator(database, NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None);
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            var services = host.Services;
            services.AddKeyedSingleton<TimeProvider>(LiveOptions.ClockKey, clock);
            services.AddSingleton(database);
            services.AddSingleton(Options.Create(new HubOptions { EdgeOfflineAfter = OfflineAfter }));
            services.AddSingleton(Options.Create(new LiveOptions { PushInterval = PushInterval }));
            services.AddSingleton(new SqlBatchAggregator(database, clock));
            services.AddSingleton<LiveStore>();
            services.AddContractsSerializer();
        });
        builder.ConfigureClientHost(host => host.Services.AddContractsSerializer());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LiveCluster(dir, cluster, database, clock);
    }

    /// <summary>Who the audit log names for the tenancy a test sets up.</summary>
    public static readonly AuditActor SetupActor = new("live-cluster test setup", "test");

    /// <summary>Company → plant → lines and stations, and one edge of the plant.</summary>
    public async Task SetupPlantAsync(string company, string plant, string edge, params (string Line, string Station)[] stations)
    {
        if (!await Tenancy.CompanyExistsAsync(company, CancellationToken.None))
        {
            await Tenancy.CreateCompanyAsync(SetupActor, company, company, CancellationToken.None);
        }

        if (!await Tenancy.ScopeExistsAsync(company, plant, null, null, CancellationToken.None))
        {
            await Tenancy.CreatePlantAsync(SetupActor, company, plant, plant, CancellationToken.None);
        }

        foreach (var line in stations.Select(s => s.Line).Distinct())
        {
            await Tenancy.CreateLineAsync(SetupActor, company, plant, line, line, CancellationToken.None);
        }

        foreach (var (line, station) in stations)
        {
            await Tenancy.CreateStationAsync(SetupActor, company, plant, line, station, station, CancellationToken.None);
        }

        await Tenancy.CreateEdgeAsync(SetupActor, company, plant, edge, edge, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
