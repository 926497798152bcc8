using System.Net.Http.Json;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Alliance;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tests.Support;
using AiFactory.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static AiFactory.Hub.Tests.Support.Batches;

namespace AiFactory.Hub.Tests.Alliance;

/// <summary>
/// A hub with an alliance 'ev' and process type 'welding': companies with lines of given product families, their
/// hour buckets filled through ingest and rolled up to line-days; keys per company and role.
/// </summary>
internal sealed class AllianceWorld : IAsyncDisposable
{
    public const string Alliance = "ev";
    public const string Process = "welding";
    public static readonly DateTimeOffset Day1 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<(string Company, string Role), HttpClient> _clients = [];
    private readonly Dictionary<string, long> _sequences = [];
    private readonly Dictionary<string, (string Id, string Key)> _edges = [];

    private PostgresDatabase? _postgres;

    private AllianceWorld(HubHarness hub) => Hub = hub;

    public HubHarness Hub { get; }

    public static DateTimeOffset Expiry => DateTimeOffset.UtcNow.AddDays(30);

    /// <param name="postgres">On a fresh PostgreSQL database (dropped with the world) instead of a temp SQLite file.</param>
    public static async Task<AllianceWorld> StartAsync(object? alliance = null, int seed = 1, bool postgres = false)
    {
        var db = postgres ? await PostgresDatabase.CreateAsync() : null;
        var hub = await HubHarness.StartAsync(
            db is null ? DatabaseProvider.Sqlite : DatabaseProvider.PostgreSql, db?.ConnectionString,
            configure: b => b.Services.AddSingleton<NoiseSource>(new SeededNoiseSource(seed)), extra: ["--Hub:Alliance:RollupInterval=00:00:00"]);
        var world = new AllianceWorld(hub) { _postgres = db };
        await world.OkAsync(hub.Admin.PostAsJsonAsync("/api/v1/admin/process-types", new { id = Process, name = "Resistance spot welding" }));
        await world.OkAsync(hub.Admin.PostAsJsonAsync("/api/v1/admin/alliances", alliance ?? new { id = Alliance, name = "EV alliance" }));
        return world;
    }

    /// <summary>A member company with plant p1 and one line per entry (its station s-{line}), each line's counts on <paramref name="day"/>.</summary>
    public async Task AddCompanyAsync(string company, DateTimeOffset day, params (string Line, string Family, long Frames, long Pass, long Fail)[] lines)
    {
        var edge = await Hub.SetupPlantAsync(company, "p1", $"{company}-e{_sequences.Count}", lines.Select(l => (l.Line, "s-" + l.Line)).ToArray());
        _edges[company] = ($"{company}-e{_sequences.Count}", edge);
        await OkAsync(Hub.Admin.PostAsJsonAsync($"/api/v1/admin/alliances/{Alliance}/members", new { company }));
        foreach (var l in lines)
        {
            await OkAsync(Hub.Admin.PutAsJsonAsync($"/api/v1/admin/companies/{company}/plants/p1/lines/{l.Line}/process", new { processType = Process, productFamily = l.Family }));
        }

        await IngestAsync(company, edge, $"{company}-e{_sequences.Count}", day, lines);
    }

    /// <summary>More counts for an existing company's lines, through a new edge.</summary>
    public async Task AddDataAsync(string company, DateTimeOffset day, params (string Line, string Family, long Frames, long Pass, long Fail)[] lines)
    {
        var edgeId = $"{company}-e{_sequences.Count}";
        var created = await Hub.Admin.PostAsJsonAsync($"/api/v1/admin/companies/{company}/plants/p1/edges", new { id = edgeId });
        await OkAsync(Task.FromResult(created));
        var key = (await created.Content.ReadFromJsonAsync<AiFactory.Hub.Tenancy.CreatedKey>())!.Key;
        await IngestAsync(company, key, edgeId, day, lines);
    }

    public Task ShareAsync(string company, string metric = "first-pass-yield", string level = "alliance-aggregate", string[]? named = null, string? line = null) =>
        OkAsync(Key(company, "company-admin").ContinueWith(k => k.Result.PutAsJsonAsync(
            $"/api/v1/alliances/{Alliance}/companies/{company}/policies/{metric}",
            new { plant = line is null ? null : "p1", line, level, namedCompanies = named, purposes = new[] { "benchmarking" }, expires = Expiry })).Unwrap());

    /// <summary>The company's first edge reports its station on <paramref name="line"/> through the API, its live inputs around <paramref name="liveMean"/>.</summary>
    public async Task ReportDriftAsync(string company, string line, double liveMean)
    {
        var (id, key) = _edges[company];
        using var edge = Hub.Client(key);
        var station = ModelReports.Station(line, "s-" + line, "pump-anomaly", ModelReports.Run(null, "1", 10, 0), inputs: [ModelReports.Feature("pressure", liveMean)]);
        await OkAsync(edge.PostAsJsonAsync($"/api/v1/edges/{id}/model-report", new AiFactory.Contracts.EdgeModelReport(id, "x", [station])));
    }

    /// <summary>Three member companies with a line each (acme, globex, initech), and one raw chunk of acme's station s-l1 at <see cref="T0"/> uploaded by an edge of its own.</summary>
    public async Task AddRoomCompaniesAsync(string[] tags, params RawRow[] rows)
    {
        foreach (var company in new[] { "acme", "globex", "initech" })
        {
            await AddCompanyAsync(company, Day1, ("l1", "pumps", 100, 90, 10));
        }

        var edgeKey = await Hub.SetupPlantAsync("acme", "p1", "acme-raw", ("l1", "s-l1"));
        using var edge = Hub.Client(edgeKey);
        var chunk = new StationRawChunk("acme", "p1", "l1", "s-l1", tags, rows);
        await OkAsync(edge.PostAsync("/api/v1/ingest", Json(new UplinkBatch("acme-raw", 1, 1, T0, [new UplinkRecord(1, null, null, chunk)], new OutboxReport(0, 0, null, 0, 0, 0)))));
    }

    public async Task RollAsync() =>
        await Hub.Services.GetRequiredService<LineDayRollup>().RollAsync(Day1.AddDays(-1), Day1.AddDays(10), CancellationToken.None);

    public async Task<HttpClient> Key(string company, string role)
    {
        if (!_clients.TryGetValue((company, role), out var client))
        {
            client = Hub.Client((await Hub.UserAsync(company, role)).Key);
            _clients[(company, role)] = client;
        }

        return client;
    }

    public async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Benchmark(string metric = "first-pass-yield", int days = 1, string extra = "") =>
        $"/api/v1/alliances/{Alliance}/benchmarks?process={Process}&metric={metric}&from={Day1:yyyy-MM-dd}&to={Day1.AddDays(days):yyyy-MM-dd}{extra}";

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }

        await Hub.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private async Task IngestAsync(string company, string edgeKey, string edgeId, DateTimeOffset day, (string Line, string Family, long Frames, long Pass, long Fail)[] lines)
    {
        _sequences[edgeId] = 1;
        using var edge = Hub.Client(edgeKey);
        var summaries = lines.Select(l => (object)Summary(edgeId, company, "p1", l.Line, "s-" + l.Line, day.AddHours(10), l.Frames, l.Pass, l.Fail)).ToList();
        await OkAsync(edge.PostAsync("/api/v1/ingest", Json(Batch(edgeId, 1, summaries))));
    }

    private async Task OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
