using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;

namespace AiFactory.Drill;

/// <summary>
/// The hub under drill (its own process, SQLite or PostgreSQL, or three silos of one cluster on PostgreSQL behind nginx), with the tenancy every drilled edge belongs to
/// (company acme, plant plant-1; a line of its own per edge, so that its events stay within one query's 10 000), and what it stored for an edge, read through its query API.
/// </summary>
internal sealed class DrillHub : IAsyncDisposable
{
    private const int EventLimit = 10_000;
    private const string Tenancy = "/api/v1/admin/companies/acme/plants/plant-1";
    private readonly HttpClient _admin;
    private readonly PostgresDatabase? _database;
    private readonly NginxProxy? _nginx;

    private DrillHub(IReadOnlyList<HubProcess> silos, string adminKey, string database, PostgresDatabase? postgres, NginxProxy? nginx = null)
    {
        Silos = silos;
        Database = database;
        _database = postgres;
        _nginx = nginx;
        _admin = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        _admin.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);
    }

    /// <summary>The hub's process (the first silo of a cluster).</summary>
    public HubProcess Process => Silos[0];

    /// <summary>Every silo: one, or the cluster's three.</summary>
    public IReadOnlyList<HubProcess> Silos { get; }

    /// <summary>Where edges and the drill reach the hub: the one process, or nginx in front of the silos.</summary>
    public Uri Address => _nginx?.Address ?? Process.Address;

    /// <summary>Every silo's output.</summary>
    public string Output => string.Join("\n--- next silo ---\n", Silos.Select(s => s.Output));

    /// <summary>SQLite or PostgreSQL.</summary>
    public string Database { get; }

    public static async Task<DrillHub> StartSqliteAsync(string dir)
    {
        var key = ApiKey.Generate().Key;
        return await SetupAsync(new DrillHub([await HubProcess.StartAsync("Sqlite", $"Data Source={Path.Combine(dir, "hub.db")}", key)], key, "SQLite", null));
    }

    public static async Task<DrillHub> StartPostgresAsync()
    {
        var key = ApiKey.Generate().Key;
        var database = await PostgresDatabase.CreateAsync();
        return await SetupAsync(new DrillHub([await HubProcess.StartAsync("PostgreSql", database.ConnectionString, key)], key, "PostgreSQL", database));
    }

    /// <summary>Three silos of one cluster on a fresh PostgreSQL database, behind nginx (round robin, retried on the next silo).</summary>
    public static async Task<DrillHub> StartClusterAsync(int silos)
    {
        var key = ApiKey.Generate().Key;
        var database = await PostgresDatabase.CreateAsync();
        HubProcess[] started = [];
        NginxProxy? nginx = null;
        try
        {
            started = await HubSilos.StartAsync(silos, database.ConnectionString, key, "drill-" + Guid.NewGuid().ToString("N")[..8]);
            nginx = await NginxProxy.StartAsync([.. started.Select(s => s.Port)]);
        }
        catch
        {
            foreach (var silo in started)
            {
                await silo.DisposeAsync();
            }

            await database.DisposeAsync();
            throw;
        }

        var hub = new DrillHub(started, key, $"PostgreSQL, {silos} silos", database, nginx);
        try
        {
            return await SetupAsync(hub);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers a line, a station on it and an edge, all named <paramref name="id"/>; answers the edge's key.</summary>
    public async Task<string> AddEdgeAsync(string id)
    {
        (await _admin.PostAsJsonAsync($"{Tenancy}/lines", new { id })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"{Tenancy}/lines/{id}/stations", new { id })).EnsureSuccessStatusCode();
        var created = await _admin.PostAsJsonAsync($"{Tenancy}/edges", new { id });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
    }

    /// <summary>What the hub stored from edge <paramref name="id"/> (whose only line and station are also <paramref name="id"/>).</summary>
    public async Task<HubCounts> CountAsync(string id)
    {
        var edge = (await _admin.GetFromJsonAsync<EdgeStatus[]>("/api/v1/companies/acme/plants/plant-1/edges", JsonSerializerOptions.Web))!
            .Single(e => e.EdgeId == id);
        var range = $"from={DateTimeOffset.UtcNow.AddDays(-2):yyyy-MM-ddTHH:00:00Z}&to={DateTimeOffset.UtcNow.AddDays(2):yyyy-MM-ddTHH:00:00Z}";
        var metrics = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/companies/acme/plants/plant-1/lines/{id}/stations/{id}/metrics?{range}&bucket=hour");
        var events = (await _admin.GetFromJsonAsync<EventRow[]>($"/api/v1/companies/acme/plants/plant-1/lines/{id}/events?{range}&limit={EventLimit}", JsonSerializerOptions.Web))!;
        if (events.Length == EventLimit)
        {
            throw new InvalidOperationException($"edge {id} has {EventLimit} events or more on the hub: more than one query answers, so the drill cannot count them (run its edges shorter)");
        }

        return new HubCounts(edge.Records, edge.DuplicateRecords, edge.LastSequence, metrics.GetProperty("totals").GetProperty("frames").GetInt64(), events.Count(e => e.EdgeId == id));
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }

        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static async Task<DrillHub> SetupAsync(DrillHub hub)
    {
        foreach (var (path, id) in new[] { ("/api/v1/admin/companies", "acme"), ("/api/v1/admin/companies/acme/plants", "plant-1") })
        {
            (await hub._admin.PostAsJsonAsync(path, new { id })).EnsureSuccessStatusCode();
        }

        return hub;
    }
}
