using System.Globalization;
using System.Net.Http.Json;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;
using Dapper;
using Npgsql;
using Orleans.Runtime;

namespace AiFactory.Hub.Tests.Support;

/// <summary>
/// Hub processes that are silos of one Orleans cluster (ADO.NET clustering) on one fresh PostgreSQL database, each on a
/// fixed silo port so a restarted process comes back on the same endpoint as a new generation.
/// </summary>
internal sealed class SiloCluster : IAsyncDisposable
{
    private readonly PostgresDatabase _db;

    private SiloCluster(PostgresDatabase db, string clusterId, string adminKey, HubProcess[] silos)
    {
        _db = db;
        ClusterId = clusterId;
        AdminKey = adminKey;
        Silos = silos;
    }

    public string ClusterId { get; }

    public string AdminKey { get; }

    public IReadOnlyList<HubProcess> Silos { get; }

    /// <summary>Starts <paramref name="count"/> silos at once (they migrate the database together, under the advisory lock).</summary>
    public static async Task<SiloCluster> StartAsync(int count)
    {
        var adminKey = ApiKey.Generate().Key;
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        var db = await PostgresDatabase.CreateAsync();
        try
        {
            return new SiloCluster(db, clusterId, adminKey, await HubSilos.StartAsync(count, db.ConnectionString, adminKey, clusterId));
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every silo's recent output, for a failing test's message.</summary>
    public string Output => string.Join("\n---\n", Silos.Select(s => s.Output));

    public static string Instance(HubProcess silo) => $"{Environment.MachineName}/{silo.ProcessId}";

    public static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    /// <summary>Company acme, plant p1, the given stations on their lines, and edges e0… answering their keys.</summary>
    public async Task<string[]> SetupAsync(Uri address, int edges, IEnumerable<(string Line, string Station)> stations)
    {
        using var admin = Client(address, AdminKey);
        await PostAsync(admin, "/api/v1/admin/companies", new { id = "acme" });
        await PostAsync(admin, "/api/v1/admin/companies/acme/plants", new { id = "p1" });
        foreach (var group in stations.GroupBy(s => s.Line))
        {
            await PostAsync(admin, "/api/v1/admin/companies/acme/plants/p1/lines", new { id = group.Key });
            foreach (var (line, station) in group)
            {
                await PostAsync(admin, $"/api/v1/admin/companies/acme/plants/p1/lines/{line}/stations", new { id = station });
            }
        }

        var keys = new string[edges];
        for (var e = 0; e < edges; e++)
        {
            var created = await PostAsync(admin, "/api/v1/admin/companies/acme/plants/p1/edges", new { id = $"e{e}" });
            keys[e] = (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
        }

        return keys;
    }

    /// <summary>The membership rows of one silo's port, oldest generation first, once <paramref name="dead"/> of them are dead (or after 60 s).</summary>
    public async Task<List<SiloStatus>> GenerationsAsync(HubProcess silo, int dead)
    {
        var port = int.Parse(silo.Argument("--Hub:Silo:SiloPort=")!, CultureInfo.InvariantCulture);
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var rows = (await connection.QueryAsync<int>(
                "SELECT status FROM orleansmembershiptable WHERE deploymentid = @ClusterId AND port = @port ORDER BY generation", new { ClusterId, port }))
                .Select(s => (SiloStatus)s).ToList();
            if (rows.Count(r => r == SiloStatus.Dead) >= dead || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        await _db.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
