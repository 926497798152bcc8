using System.Net.Http.Headers;
using System.Net.Http.Json;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using AiFactory.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AiFactory.Hub.Tests.Support;

/// <summary>A real hub (Kestrel on 127.0.0.1, port chosen by the OS) over a temp SQLite file or a given PostgreSQL database.</summary>
internal sealed class HubHarness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;

    private PostgresDatabase? _postgres;

    private HubHarness(WebApplication app, string dir, Uri address, string adminKey)
    {
        _app = app;
        _dir = dir;
        Address = address;
        AdminKey = adminKey;
        Admin = Client(adminKey);
    }

    public Uri Address { get; }

    public string AdminKey { get; }

    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<HubHarness> StartAsync(
        DatabaseProvider provider = DatabaseProvider.Sqlite, string? connection = null, string? adminKey = null, Action<WebApplicationBuilder>? configure = null, params string[] extra)
    {
        var dir = Directory.CreateTempSubdirectory("aifactory-hub-").FullName;
        adminKey ??= ApiKey.Generate().Key;
        connection ??= $"Data Source={Path.Combine(dir, "hub.db")}";
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Hub:Database:Provider={provider}",
            $"--Hub:Database:ConnectionString={connection}",
            $"--Hub:BootstrapAdminKey={adminKey}",
            "--Serilog:MinimumLevel:Default=Warning",
            $"--Hub:Silo:SiloPort={FreePort.Next()}",
            .. extra,
        ];
        var app = HubApp.Build(args, configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HubHarness(app, dir, new Uri(address), adminKey);
    }

    /// <summary>A hub over a fresh PostgreSQL database, dropped with the harness.</summary>
    public static async Task<HubHarness> StartOnPostgresAsync()
    {
        var db = await PostgresDatabase.CreateAsync();
        var hub = await StartAsync(DatabaseProvider.PostgreSql, db.ConnectionString);
        hub._postgres = db;
        return hub;
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Creates company → plant → lines/stations and one edge; answers the edge's key.</summary>
    public async Task<string> SetupPlantAsync(string company, string plant, string edge, params (string Line, string Station)[] stations)
    {
        await PostOk($"/api/v1/admin/companies", new { id = company }, allowConflict: true);
        await PostOk($"/api/v1/admin/companies/{company}/plants", new { id = plant }, allowConflict: true);
        foreach (var line in stations.Select(s => s.Line).Distinct())
        {
            await PostOk($"/api/v1/admin/companies/{company}/plants/{plant}/lines", new { id = line }, allowConflict: true);
        }

        foreach (var (line, station) in stations)
        {
            await PostOk($"/api/v1/admin/companies/{company}/plants/{plant}/lines/{line}/stations", new { id = station }, allowConflict: true);
        }

        var created = await PostOk($"/api/v1/admin/companies/{company}/plants/{plant}/edges", new { id = edge });
        return (await created.Content.ReadFromJsonAsync<CreatedKey>())!.Key;
    }

    /// <summary>A user key with a role in a company.</summary>
    public async Task<CreatedKey> UserAsync(string company, string role)
    {
        var created = await PostOk($"/api/v1/admin/companies/{company}/users", new { name = role, role });
        return (await created.Content.ReadFromJsonAsync<CreatedKey>())!;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<HttpResponseMessage> PostOk(string path, object body, bool allowConflict = false)
    {
        var response = await Admin.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode && !(allowConflict && response.StatusCode == System.Net.HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }
}
